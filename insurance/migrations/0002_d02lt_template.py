"""The D02-LT layout in force from 2017 (QĐ 595/QĐ-BHXH), as the first row of the report
templates; an administrator adjusts it or adds a revised form from its date."""

import datetime

from django.db import migrations

LAYOUT = {'form': 'Mẫu D02-LT',
 'title': 'DANH SÁCH LAO ĐỘNG THAM GIA BHXH, BHYT, BHTN, BHTNLĐ-BNN',
 'header': ['Tên đơn vị: {unit_name}',
            'Mã đơn vị: {insurance_code}',
            'Địa chỉ: {address}',
            'Cơ quan BHXH: {office}',
            'Tháng {month}/{year}'],
 'columns': [{'key': 'no', 'title': 'STT', 'width': 5},
             {'key': 'full_name', 'title': 'Họ và tên', 'width': 26},
             {'key': 'social_insurance_number', 'title': 'Mã số BHXH', 'width': 13},
             {'key': 'personal_id', 'title': 'Số CCCD', 'width': 14},
             {'key': 'position',
              'title': 'Cấp bậc, chức vụ, chức danh nghề, điều kiện, nơi làm việc',
              'width': 30},
             {'key': 'coefficient', 'title': 'Hệ số / mức lương', 'width': 10},
             {'key': 'leadership', 'title': 'Phụ cấp chức vụ', 'width': 9},
             {'key': 'beyond_scale', 'title': 'Phụ cấp TNVK (%)', 'width': 9},
             {'key': 'seniority', 'title': 'Phụ cấp TNN (%)', 'width': 9},
             {'key': 'other_allowances', 'title': 'Phụ cấp khác', 'width': 9},
             {'key': 'salary', 'title': 'Tiền lương đóng', 'width': 14},
             {'key': 'from_month', 'title': 'Từ tháng, năm', 'width': 9},
             {'key': 'to_month', 'title': 'Đến tháng, năm', 'width': 9},
             {'key': 'employee', 'title': 'Truy đóng: người lao động', 'width': 12},
             {'key': 'employer', 'title': 'Truy đóng: đơn vị', 'width': 12},
             {'key': 'note', 'title': 'Ghi chú', 'width': 36}],
 'sections': [{'title': 'I. TĂNG',
               'parts': [{'kind': 'join', 'title': '1. Lao động tham gia mới'},
                         {'kind': 'raise', 'title': '2. Điều chỉnh tăng mức đóng'}]},
              {'title': 'II. GIẢM',
               'parts': [{'kind': 'stop', 'title': '1. Lao động giảm'},
                         {'kind': 'cut', 'title': '2. Điều chỉnh giảm mức đóng'}]},
              {'title': 'III. TRUY ĐÓNG THEO QUYẾT ĐỊNH CÓ HIỆU LỰC TRỞ VỀ TRƯỚC',
               'parts': [{'kind': 'back', 'title': 'Truy đóng từng tháng'}]}],
 'total_title': 'Cộng',
 'missing_identifier': 'THIẾU MÃ SỐ BHXH VÀ SỐ CCCD'}


def add_template(apps, schema_editor):
    ReportTemplate = apps.get_model("insurance", "ReportTemplate")
    ReportTemplate.objects.get_or_create(
        report="D02-LT",
        valid_from=datetime.date(2017, 5, 1),
        defaults={
            "name": "Mẫu D02-LT (QĐ 595/QĐ-BHXH)",
            "layout": LAYOUT,
            "legal_basis": "QĐ 595/QĐ-BHXH (2017), sửa đổi QĐ 505/QĐ-BHXH (2020), QĐ 490/QĐ-BHXH "
            "(2023); QĐ 366/QĐ-BHXH (2026) có thể đổi mẫu — chưa xác nhận",
            "confidence": "U",
        },
    )


def remove_template(apps, schema_editor):
    ReportTemplate = apps.get_model("insurance", "ReportTemplate")
    ReportTemplate.objects.filter(report="D02-LT", valid_from=datetime.date(2017, 5, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("insurance", "0001_insurance_records")]

    operations = [migrations.RunPython(add_template, remove_template)]
