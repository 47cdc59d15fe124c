"""Every answer under /api/ is JSON: a method a route does not take (405, with ``Allow``) and a
path nobody routes (404) included; the API's own JSON errors pass through unchanged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method, path, allowed", [
    ("put", "/api/v1/cases", "POST"),
    ("delete", "/api/v1/cases", "POST"),
    ("post", "/api/v1/cases/search", "GET"),
])
def test_a_method_the_route_does_not_take_is_a_json_405_naming_the_allowed_ones(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == allowed
    assert response.json() == {"detail": f"Method {method.upper()} is not allowed here; use {allowed}."}


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at /api/v1/no-such-thing."}


def test_the_error_is_in_the_callers_language(client):
    response = client.put("/api/v1/cases", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 405
    assert "POST" in response.json()["detail"] and "Method PUT" not in response.json()["detail"]


def test_the_apis_own_json_404_is_left_alone(client):
    response = client.post("/api/v1/cases/lookup", data={"case_number": "ABC-DEF-GHJ", "email": "a@example.com"},
                           content_type="application/json")
    assert response.status_code == 404
    assert "detail" not in response.json() or "No API endpoint" not in response.json()["detail"]


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
