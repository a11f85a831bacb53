"""The province's records in the shape of the national CBCCVC database (Cơ sở dữ liệu quốc gia
về cán bộ, công chức, viên chức; NĐ 27/2026/NĐ-CP), one JSON object a line, grouped as the
decree groups its data. The field-by-field mapping and its confidence: docs/cbccvc-mapping.md.

The export runs in the background (``hrms.jobs`` lease, django-tasks) for whoever asked; the
worker decides again which records the requester may export, and the sensitive groups of a
record only go to a requester who may see them (docs/rules.md §10.1).
"""

import datetime
import json
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_noop

from api.models import CbccvcExport
from api.serializers import json_value
from hrms import jobs
from insurance.models import InsuranceProfile
from payroll.selectors import current_records
from personnel import permissions
from personnel.models import AccessLogEntry, AnnualRating, Discipline, OrgUnit, Staff

logger = logging.getLogger(__name__)

SCHEMA = "hrms-cbccvc/1"
CHUNK = 1000
NOTHING_TO_EXPORT = gettext_noop("No record in this unit may be exported by you.")
FAILED = gettext_noop("The export failed; please try again or tell the administrator.")


def _place(commune: str, district: str, province: str) -> dict:
    return {"xa": commune, "huyen": district, "tinh": province}


def _rows(rows, **names) -> list[dict]:
    return [{key: json_value(getattr(row, name)) for key, name in names.items()} for row in rows]


def cbccvc_record(staff: Staff, *, salary, profile, sensitive: bool) -> dict:
    """One person in the decree's groups (docs/cbccvc-mapping.md); ``sensitive`` adds the
    groups a reveal would show."""
    unit = staff.unit
    record = {
        "schema": SCHEMA,
        "ma_ho_so": staff.staff_number,
        "thong_tin_co_ban": {
            "ho_ten": staff.full_name,
            "ten_goi_khac": staff.other_names,
            "ngay_sinh": json_value(staff.birth_date),
            "gioi_tinh": staff.sex,
            "noi_sinh": _place(staff.birth_commune, staff.birth_district, staff.birth_province),
            "que_quan": _place(staff.home_commune, staff.home_district, staff.home_province),
            "noi_thuong_tru": staff.permanent_residence,
            "noi_o_hien_nay": staff.current_residence,
            "so_dinh_danh_ca_nhan": staff.personal_id,
            "ngay_cap": json_value(staff.personal_id_issued_on),
            "noi_cap": staff.personal_id_issued_by,
            "so_cmnd_cu": staff.old_id_number,
            "ma_so_thue": staff.tax_code,
            "dien_thoai": staff.phone,
        },
        "quan_he_gia_dinh": _rows(
            staff.family.all(),
            ben="side",
            quan_he="relation",
            ho_ten="full_name",
            nam_sinh="birth_year",
            thong_tin="details",
        ),  # fmt: skip
        "tuyen_dung_cong_tac": {
            "doi_tuong": staff.category,
            "trang_thai": staff.status,
            "trang_thai_tu_ngay": json_value(staff.status_since),
            "nghe_nghiep_khi_tuyen_dung": staff.occupation_when_recruited,
            "ngay_tuyen_dung": json_value(staff.recruitment_date),
            "co_quan_tuyen_dung": staff.recruiting_agency,
            "qua_trinh_cong_tac": _rows(
                staff.work_history.all(),
                tu="start",
                den="end",
                chuc_vu="position",
                don_vi="unit_name",
            ),  # fmt: skip
            "bien_dong": _rows(
                staff.movements.all(),
                loai="kind",
                ngay_hieu_luc="effective_date",
                quyet_dinh="decision",
            ),  # fmt: skip
        },
        "trinh_do_dao_tao": {
            "giao_duc_pho_thong": staff.general_education,
            "trinh_do_chuyen_mon": staff.qualification,
            "chuyen_nganh": staff.qualification_field,
            "ly_luan_chinh_tri": staff.political_theory,
            "quan_ly_nha_nuoc": staff.state_management,
            "ngoai_ngu": staff.foreign_languages,
            "tin_hoc": staff.it_skills,
            "dao_tao": _rows(
                staff.trainings.all(),
                co_so="school",
                nganh="field",
                tu="start",
                den="end",
                hinh_thuc="mode",
                van_bang="degree",
            ),  # fmt: skip
            "chung_chi": _rows(
                staff.certificates.all(),
                loai="kind",
                ten="name",
                trinh_do="level",
                ngay_cap="issued_on",
            ),  # fmt: skip
        },
        "co_quan_chuc_vu_luong": {
            "co_quan": {
                "ma": unit.code,
                "ten": unit.name,
                "ma_dinh_danh_dien_tu": unit.agency_code,
                "ma_don_vi_hanh_chinh": unit.admin_code,
            },
            "chuc_vu": staff.position_title,
            "ngay_bo_nhiem": json_value(staff.position_since),
            "chuc_vu_kiem_nhiem": staff.concurrent_positions,
            "cong_viec_chinh": staff.main_duties,
            "ngach_chuc_danh": salary.rank.code if salary else None,
            "bac": salary.step if salary else None,
            "he_so": json_value(salary.coefficient) if salary else None,
            "ngay_huong": json_value(salary.effective_date) if salary else None,
            "moc_nang_bac": json_value(salary.step_since) if salary else None,
            "phu_cap_tham_nien_vuot_khung": json_value(salary.beyond_scale_percent)
            if salary
            else None,
            "phu_cap_chuc_vu": json_value(salary.leadership_coefficient) if salary else None,
            "danh_gia": _rows(staff.ratings.all(), nam="year", xep_loai="level"),
            "khen_thuong": _rows(
                staff.awards.all(), nam="year", hinh_thuc="form", quyet_dinh="decision"
            ),  # fmt: skip
        },
        "bao_hiem": {
            "so_so_bhxh": staff.social_insurance_number,
            "so_the_bhyt": profile.health_card_number if profile else "",
            "noi_kcb_ban_dau": profile.hospital_code if profile else "",
        },
        "doan_the_quan_su": {
            "doan_the": staff.organisations,
            "nhap_ngu": json_value(staff.military_enlisted),
            "xuat_ngu": json_value(staff.military_discharged),
            "quan_ham_cao_nhat": staff.military_rank,
            "danh_hieu_cao_nhat": staff.honorary_title,
        },
        "nhay_cam_da_xuat": sensitive,
    }
    if sensitive:
        record["co_quan_chuc_vu_luong"]["ky_luat"] = _rows(
            staff.disciplines.all(), ngay="date", hinh_thuc="kind", quyet_dinh="decision"
        )
        record["thong_tin_co_ban"].update(
            dan_toc=json_value(staff.ethnicity), ton_giao=json_value(staff.religion)
        )
        record["doan_the_quan_su"].update(
            ngay_vao_dang=json_value(staff.party_admission_date),
            ngay_chinh_thuc=json_value(staff.party_official_date),
        )
        record["suc_khoe_chinh_sach"] = {
            "tinh_trang_suc_khoe": staff.health_status,
            "chieu_cao": staff.height_cm,
            "can_nang": staff.weight_kg,
            "nhom_mau": staff.blood_type,
            "thuong_binh_hang": staff.war_invalid_grade,
            "gia_dinh_chinh_sach": staff.policy_family,
        }
        record["lich_su_ban_than"] = {
            "bi_bat_bi_tu": staff.history_detention,
            "tham_gia_to_chuc_nuoc_ngoai": staff.history_foreign_orgs,
            "than_nhan_nuoc_ngoai": staff.history_relatives_abroad,
        }
    return record


def exported_staff(*, user, unit: OrgUnit | None):
    """The records ``user`` may export (in ``unit``'s subtree), in a stable order."""
    staff = permissions.visible_staff(user, permissions.EXPORT_STAFF)
    if unit is not None:
        staff = staff.in_subtree(unit)
    return staff.order_by("id")


def _chunk_queryset(ids):
    return (
        Staff.objects.filter(pk__in=ids)
        .select_related("unit", "ethnicity", "religion")
        .prefetch_related(
            "family",
            "work_history",
            "movements",
            "trainings",
            "certificates",
            "awards",
            Prefetch("ratings", queryset=AnnualRating.objects.select_related("level")),
            Prefetch("disciplines", queryset=Discipline.objects.select_related("kind")),
        )  # fmt: skip
        .order_by("id")
    )


@transaction.atomic
def cbccvc_export_create(*, user, unit: OrgUnit | None) -> CbccvcExport:
    """Queue an export of the records ``user`` may export (the worker writes the file)."""
    job = CbccvcExport.objects.create(requested_by=user, unit=unit)
    jobs.enqueue(job)
    return job


def run_cbccvc_export(job_id) -> dict | None:
    """Write one queued export under its lease (called by the worker)."""
    lease = jobs.claim(CbccvcExport, job_id)
    if lease is None:
        return None
    job = CbccvcExport.objects.select_related("requested_by", "unit").get(pk=lease.job.pk)
    user = job.requested_by
    shutil.rmtree(job.directory, ignore_errors=True)
    job.directory.mkdir(parents=True, exist_ok=True)
    target = job.directory / f"cbccvc-{job.attempts}.jsonl"
    try:
        ids = list(exported_staff(user=user, unit=job.unit).values_list("pk", flat=True))
        if not ids:
            lease.fail(NOTHING_TO_EXPORT)
            return {"exported": 0}
        lease.renew(total=len(ids), done=0)
        sensitive_paths = permissions.granted_paths(user, permissions.VIEW_SENSITIVE)
        with target.open("w", encoding="utf-8") as out:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                salaries = current_records(chunk)
                profiles = InsuranceProfile.objects.in_bulk(chunk, field_name="staff_id")
                for person in _chunk_queryset(chunk):
                    sensitive = sensitive_paths is None or any(
                        person.unit.path.startswith(path) for path in sensitive_paths
                    )
                    record = cbccvc_record(
                        person,
                        salary=salaries.get(person.pk),
                        profile=profiles.get(person.pk),
                        sensitive=sensitive,
                    )
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                lease.renew(done=min(start + CHUNK, len(ids)))
        media = Path(settings.MEDIA_ROOT)
        with transaction.atomic():
            for start in range(0, len(ids), CHUNK):
                AccessLogEntry.objects.bulk_create(
                    AccessLogEntry(
                        user=user, action=AccessLogEntry.Action.EXPORT_BULK, staff_id=pk,
                        detail={"job": str(job.pk), "format": "cbccvc"},
                    )
                    for pk in ids[start : start + CHUNK]
                )  # fmt: skip
            lease.finish(
                status=CbccvcExport.Status.DONE,
                file=str(target.relative_to(media)),
                expires_at=timezone.now()
                + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
            )
        return {"exported": len(ids)}
    except jobs.LeaseLost:
        target.unlink(missing_ok=True)
        raise
    except Exception:
        logger.exception("CBCCVC export %s failed", job.pk)
        target.unlink(missing_ok=True)
        lease.fail(FAILED)
        return {"exported": 0}


def cbccvc_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished exports past their date; returns how many expired."""
    now = now or timezone.now()
    count = 0
    for job in CbccvcExport.objects.filter(status=CbccvcExport.Status.DONE, expires_at__lte=now):
        shutil.rmtree(job.directory, ignore_errors=True)
        CbccvcExport.objects.filter(pk=job.pk).update(status=CbccvcExport.Status.EXPIRED, file="")
        count += 1
    return count
