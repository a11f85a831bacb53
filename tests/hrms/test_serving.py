"""The real server: gunicorn with its configuration file, in demo mode, over plain http.

One gunicorn (two workers) is started for the module against the test database, after
collectstatic into a temporary directory, exactly as ``make run`` serves the demo. Requests carry
a session made by the test (same secret key), so the pages answer as to a signed-in clerk.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_environment() -> dict:
    """Point the server at the database this test run uses (the test database)."""
    name = connection.settings_dict["NAME"]
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        return {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    return {"HRMS_PGDATA": os.environ["HRMS_PGDATA"], "HRMS_DB_NAME": name}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        database = _database_environment()
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        **database,
        "DJANGO_DEMO": "1",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # so the server reads the test's sessions
        "HRMS_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "HRMS_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "GUNICORN_ACCESS_LOG": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        timeout=300,
    )
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [
                GUNICORN,
                "--config",
                "hrms/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "hrms.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}", pytrace=False)
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.fixture
def get(demo_server):
    """GET a path from the server, signed in as ``user`` (or anonymous)."""

    def request(path: str, user=None) -> http.client.HTTPResponse:
        headers = {"Host": "127.0.0.1"}
        if user is not None:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            headers["Cookie"] = (
                f"{settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"
            )
        conn = http.client.HTTPConnection("127.0.0.1", demo_server, timeout=60)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        conn.close()
        return response

    return request


def test_a_record_out_of_scope_gets_the_projects_404_page_not_the_technical_one(world, get):
    response = get(reverse("personnel:staff_detail", args=[world.staff_in_b.pk]), world.clerk)
    assert response.status == 404
    assert "Không tìm thấy trang" in response.text and "Về trang chủ" in response.text
    assert "URLconf" not in response.text and "Traceback" not in response.text
    assert response.getheader("Cache-Control") and "no-store" in response.getheader("Cache-Control")


def test_a_missing_page_gets_the_projects_404_page(world, get):
    response = get("/khong-co-trang-nay/", world.clerk)
    assert response.status == 404
    assert "Không tìm thấy trang" in response.text
    assert "URLconf" not in response.text and "staff/<int:pk>/" not in response.text


def test_the_demo_works_over_plain_http_and_serves_collected_static_files(world, get):
    login = get(reverse("login"))
    assert login.status == 200  # no redirect to https
    assert "Strict-Transport-Security" not in login.headers
    cookie = login.getheader("Set-Cookie") or ""
    assert "csrftoken=" in cookie and "Secure" not in cookie

    page = get(reverse("personnel:staff_list"), world.clerk)
    assert page.status == 200 and world.staff_in_a.full_name in page.text
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheets, page.text[:2000]
    stylesheet = get(stylesheets[0])
    assert stylesheet.status == 200
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheets[0])  # hashed name: collectstatic ran
    assert "no-store" not in (stylesheet.getheader("Cache-Control") or "")
