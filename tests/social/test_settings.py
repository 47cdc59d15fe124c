"""Social and phone settings are parsed strictly: a wrong value stops start-up naming the variable."""

import pytest

from tests.config.test_cli import run


@pytest.mark.parametrize("name, value, message", [
    ("POSTDESK_X_API_BASE_URL", "api.x.com", "POSTDESK_X_API_BASE_URL must be an http:// or https:// URL; got 'api.x.com'"),
    ("POSTDESK_FACEBOOK_GRAPH_BASE_URL", "ftp://graph", "POSTDESK_FACEBOOK_GRAPH_BASE_URL must be an http:// or https:// URL; got 'ftp://graph'"),
    ("POSTDESK_FACEBOOK_GRAPH_VERSION", "21", "POSTDESK_FACEBOOK_GRAPH_VERSION must look like v21.0; got '21'"),
    ("POSTDESK_SOCIAL_MAX_ATTEMPTS", "0", "POSTDESK_SOCIAL_MAX_ATTEMPTS must be at least 1; got 0"),
    ("POSTDESK_CALLBACK_RETRY_MINUTES", "soon", "POSTDESK_CALLBACK_RETRY_MINUTES must be a whole number; got 'soon'"),
])
def test_bad_social_or_phone_setting_is_refused_with_its_name(tmp_path, name, value, message):
    result = run("check", env_extra={name: value, "POSTDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode == 78
    assert result.stderr.decode().strip() == f"postdesk: configuration error: {message}"
