"""The administration site reads in Vietnamese: Django's "Change" link is not the app's word
for personnel movements, and third-party sections, columns and permission names are
translated."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from personnel.admin import permission_label


@pytest.fixture
def admin_client(world, client_for):
    world.admin.is_superuser = True
    world.admin.save()
    return client_for(world.admin)


def visible_text(response) -> str:
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


ENGLISH = [
    "Task Results",
    "Show counts",
    "Add link",
    "Change or view list link",
    "Axes",
    "Pghistory",
    "access attempt",
    "Can add",
    "Can change",
    "Can view",
    "User Agent",
]
# fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/axes/accessattempt/",
        "/admin/django_tasks_database/dbtaskresult/",
        "/admin/personnel/orgunituserpermission/",
        "/admin/payroll/basesalary/",
    ],
)
def test_admin_pages_have_no_english_left(admin_client, url):
    text = visible_text(admin_client.get(url))
    left = [word for word in ENGLISH if word in text]
    assert left == []


def test_the_admin_index_says_thay_doi_and_names_the_third_party_sections(admin_client):
    page = admin_client.get("/admin/").content.decode()
    links = re.findall(r'class="changelink"[^>]*>([^<]*)<', page)
    assert links and set(links) == {"Thay đổi"}  # not "Biến động", the app's movements
    text = visible_text(admin_client.get("/admin/"))
    assert "Bảo vệ đăng nhập" in text
    assert "Lịch sử thay đổi" not in text  # the audit trail is read on each record's pages
    assert "Tác vụ chạy nền" in text


def test_permission_names_read_in_vietnamese_on_the_user_page(world, admin_client):
    page = visible_text(admin_client.get(reverse("admin:auth_user_change", args=[world.clerk.pk])))
    assert "Được xem các lần đăng nhập sai" not in page  # plural is not used
    assert "Được xem lần đăng nhập sai" in page
    assert "Can view" not in page and "Can add" not in page
    view_staff = Permission.objects.get(codename="view_unit_staff")
    assert "Can view" not in permission_label(view_staff)


def test_the_grant_success_message_names_the_person_the_unit_and_the_permission(
    world, admin_client
):
    response = admin_client.post(
        reverse("admin:personnel_orgunituserpermission_add"),
        {"user": world.nobody.pk, "content_object": world.unit_b.pk, "role": "head"},
        follow=True,
    )
    message = " ".join(str(m) for m in response.context["messages"])
    assert "nobody tại Sở B" in message
    assert "view_unit_staff" not in message and "|" not in message
