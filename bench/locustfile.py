"""Simulated users for bench/load.py (Locust; runs in .venv-bench, without Django).

Clerks list, search and page through their staff, open dossiers and download dossier PDFs;
unit heads do the same and export lists to Excel. Each user logs in once through the login form,
then thinks 1–4 s between actions. The records, names and units they use come from a JSON file
written by bench/load.py (``HRMS_LOAD_PLAN``); every request is also written, with its start time,
to ``HRMS_LOAD_LOG`` so that load.py can report the steady-state window itself.
"""

import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["HRMS_LOAD_PLAN"]).read_text())
PASSWORD = PLAN["password"]
RECORDS: list[dict] = []
MARKS: dict[str, float] = {}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time, **_):
    RECORDS.append(
        {
            "name": name,
            "method": request_type,
            "start": start_time,
            "ms": response_time,
            "bytes": response_length,
            "error": None if exception is None else repr(exception)[:300],
        }
    )


@events.spawning_complete.add_listener
def _spawned(user_count, **_):
    MARKS["spawned"] = time.time()


@events.quitting.add_listener
def _write(environment, **_):
    MARKS["quit"] = time.time()
    with open(os.environ["HRMS_LOAD_LOG"], "w") as file:
        json.dump({"marks": MARKS, "requests": RECORDS}, file)


class Browsing(HttpUser):
    abstract = True
    username = ""
    wait_time = between(1, 4)

    def on_start(self):
        self.client.headers["Accept-Language"] = "vi"
        form = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(form.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")

    def get(self, url: str, name: str, *, binary: str = ""):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif binary and not response.content.startswith(binary.encode()):
                response.failure(f"not a {binary!r} file")

    def staff_list(self):
        params = random.choice(
            [
                "",
                f"?page={random.randint(2, PLAN['pages'])}",
                f"?sort={random.choice(['-name', 'birth', '-birth', 'number'])}",
                f"?unit={random.choice(PLAN['units'])}",
                f"?unit={random.choice(PLAN['units'])}&status=active",
            ]
        )
        self.get(f"/staff/{params}", "staff list")

    def search(self):
        query = random.choice(
            [
                random.choice(PLAN["names"]),
                random.choice(PLAN["surnames"]) + " " + random.choice(PLAN["middles"]),
                random.choice(PLAN["staff_numbers"]),
                random.choice(PLAN["personal_ids"]),
            ]
        )
        self.get(f"/staff/?q={query}", "search")

    def dossier(self):
        self.get(f"/staff/{random.choice(PLAN['staff'])}/", "staff page")

    def dossier_pdf(self):
        self.get(f"/staff/{random.choice(PLAN['staff'])}/dossier.pdf", "dossier PDF", binary="%PDF")


class Clerk(Browsing):
    weight = 4
    username = PLAN["clerk"]

    @task(4)
    def list_staff(self):
        self.staff_list()

    @task(3)
    def search_staff(self):
        self.search()

    @task(4)
    def open_dossier(self):
        self.dossier()

    @task(1)
    def download_dossier(self):
        self.dossier_pdf()


class Head(Browsing):
    weight = 1
    username = PLAN["head"]

    @task(3)
    def list_staff(self):
        self.staff_list()

    @task(2)
    def open_dossier(self):
        self.dossier()

    @task(1)
    def export_list(self):
        # A school's list or a filtered department list, as a head exports for a meeting.
        params = random.choice(
            [f"?unit={random.choice(PLAN['units'])}", "?status=active&category=" + PLAN["category"]]
        )
        self.get(f"/staff/export.xlsx{params}", "list export (XLSX)", binary="PK")
