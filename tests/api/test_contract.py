"""The contract: every API endpoint called with a token for every role answers exactly what the
URL × role matrix expects of a session (tests/test_access_matrix.py) — a service account's
grants decide its scope as a person's do."""

import pytest
from django.test import Client
from django.urls import reverse

from api.tokens import token_issue
from tests.test_access_matrix import (  # noqa: F401 - the matrix's fixtures, used by name
    MATRIX,
    ROLES,
    _outcome,
    api_exports,
    pay_inputs,
    payroll_runs,
    photos,
)

# The docs page is for people (a session); its schema is checked below with tokens too.
API_ROWS = [name for name in MATRIX if name.startswith("api:") and name != "api:docs"]


def test_every_api_url_is_in_the_contract():
    from api.urls import urlpatterns

    assert {f"api:{pattern.name}" for pattern in urlpatterns} - {"api:docs"} == set(API_ROWS)


@pytest.mark.parametrize("name", API_ROWS)
@pytest.mark.usefixtures("photos", "payroll_runs", "pay_inputs", "api_exports")
def test_every_endpoint_for_every_role_with_a_token(world, name):
    row = MATRIX[name]
    users = {
        "admin": world.admin, "clerk": world.clerk, "head": world.head,
        "staff": world.staff_user, "outsider": world.outsider, "nobody": world.nobody,
    }  # fmt: skip
    mismatches = []
    for role in ROLES:
        headers = {}
        if role != "anonymous":
            _token, key = token_issue(user=users[role], name=role, actor=world.admin)
            headers = {"Authorization": f"Bearer {key}"}
        client = Client(headers=headers)
        got = []
        for column in row.columns or (None,):
            kwargs = dict(row.kwargs)
            if column is not None:
                kwargs |= {
                    key: getattr(world, template.format(column)).pk
                    for key, template in row.objects.items()
                }
            response = getattr(client, row.method)(reverse(name, kwargs=kwargs))
            if response.streaming:
                b"".join(response.streaming_content)
            got.append(_outcome(response))
        if tuple(got) != row.statuses(role):
            mismatches.append(f"{role}: got {tuple(got)}, expected {row.statuses(role)}")
    assert not mismatches, f"{name}: " + "; ".join(mismatches)
