import pytest
from django.core.exceptions import ImproperlyConfigured

from core.envvars import env_bool, env_int, env_list, env_str


def test_bool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_bool_refuses_a_typo_instead_of_guessing(monkeypatch):
    monkeypatch.setenv("FLAG", "treu")
    with pytest.raises(ImproperlyConfigured, match="FLAG='treu' is not a boolean"):
        env_bool("FLAG", False)


def test_int_refuses_text_and_too_small_numbers(monkeypatch):
    monkeypatch.setenv("DAYS", "fourteen")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("DAYS", 14)
    monkeypatch.setenv("DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("DAYS", 14, minimum=1)


def test_missing_values_fall_back_to_defaults(monkeypatch):
    monkeypatch.delenv("UNSET_THING", raising=False)
    assert env_int("UNSET_THING", 14) == 14
    assert env_list("UNSET_THING", ["umu.se"]) == ["umu.se"]
    assert env_str("UNSET_THING", "x") == "x"


def test_required_string_without_default_fails_loudly(monkeypatch):
    monkeypatch.delenv("SECRET_THING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_THING must be set"):
        env_str("SECRET_THING")


def test_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("DOMAINS", " umu.se, ,student.umu.se ")
    assert env_list("DOMAINS", []) == ["umu.se", "student.umu.se"]
