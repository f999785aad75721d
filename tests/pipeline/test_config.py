"""Config is validated against the step registry when it is made."""

import pytest

from framelens import measures
from framelens.errors import ConfigError
from framelens.pipeline import Config


def test_misspelt_option_is_rejected_naming_step_and_valid_options():
    with pytest.raises(ConfigError) as exc:
        Config(options={"framing": {"headline_weigth": 2}})
    msg = str(exc.value)
    assert msg.startswith("framing has no option 'headline_weigth'; valid options: ")
    for name in measures.get_step("framing").options:
        assert name in msg
    assert "did you mean 'headline_weight'?" in msg


def test_ill_typed_option_is_rejected_at_construction():
    with pytest.raises(ConfigError, match="framing option 'lead_sentences' must be an integer"):
        Config(options={"framing": {"lead_sentences": "two"}})
    with pytest.raises(ConfigError, match="framing option 'headline_weight'"):
        Config.from_dict({"options": {"framing": {"headline_weight": "heavy"}}})


def test_unknown_steps_are_rejected_in_steps_and_options():
    with pytest.raises(ConfigError, match="unknown step 'framng'.*did you mean 'framing'"):
        Config(steps=["framng"])
    with pytest.raises(ConfigError, match="^options: unknown step 'neutralty'"):
        Config(options={"neutralty": {}})


def test_dependencies_follow_requires_and_provides():
    with pytest.raises(ConfigError, match="'alignment' requires the table 'mentions'"):
        Config(steps=["alignment", "framing"])
    assert Config(steps=["alignment", "actors"]).steps == ("actors", "alignment")
    assert Config().steps == tuple(measures.steps())


def test_equal_configurations_are_equal_and_hash_alike():
    a = Config(steps=["framing", "actors"], options={"framing": {"headline_weight": 2}})
    b = Config(steps=["actors", "framing"])
    assert a == b and a.hash == b.hash  # 2 is the default headline weight
    c = Config(steps=["actors", "framing"], options={"framing": {"headline_weight": 3}})
    assert c.hash != b.hash
    assert Config.from_dict(c.to_dict()) == c and Config.from_dict(c.to_dict()).hash == c.hash


def test_default_config_hash_is_stable():
    # the default configuration hashes the way it did before the registry (no options,
    # the four built-in steps in the same order)
    d = Config().to_dict()
    assert d["steps"] == ["actors", "framing", "neutrality", "alignment"] and d["options"] == {}


def test_step_options_are_resolved_with_defaults_and_gazetteer(tmp_path):
    c = Config(gazetteer=str(tmp_path / "g.yaml"), options={"framing": {"lead_sentences": 3}})
    fr = c.step_options("framing")
    assert fr["lead_sentences"] == 3
    assert fr["headline_weight"] == measures.get_step("framing").options["headline_weight"].default
    assert c.step_options("actors")["gazetteer"] == str(tmp_path / "g.yaml")
    with pytest.raises(ConfigError, match="set one"):
        Config(gazetteer="a.yaml", options={"actors": {"gazetteer": "b.yaml"}})


def test_config_file_errors_name_the_file(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("options:\n  framing:\n    headline_weigth: 2\n")
    with pytest.raises(ConfigError, match=f"^{p}: framing has no option 'headline_weigth'"):
        Config.from_file(p)
    p.write_text("steps: [a\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Config.from_file(p)
