"""Config.attribution: the text layer's attribution system, validated, hashed, recorded."""

import pandas as pd
import pytest

from framelens.errors import ConfigError
from framelens.pipeline import Config, analyze, analyze_batch
from framelens.pipeline.cache import resource_hashes

DOCS = pd.DataFrame(
    {
        "doc_id": ["a"],
        "text": ['"We will win," Kim Lee said. Polls show she leads. Ann Cole believes it.'],
    }
)


def test_attribution_default_is_the_model_and_rules_can_be_chosen():
    assert Config().attribution == "model"
    assert Config(attribution="rules").attribution == "rules"
    assert Config.from_dict({"attribution": "rules"}).to_dict()["attribution"] == "rules"


@pytest.mark.parametrize("bad", ["crf", "Model", "", 1, None])
def test_unknown_attribution_is_a_config_error_naming_the_choices(bad):
    with pytest.raises(ConfigError, match=r"attribution must be one of \['model', 'rules'\]"):
        Config(attribution=bad)


def test_attribution_is_part_of_the_hash_and_the_resources():
    model, rules = Config(sentiment=False), Config(sentiment=False, attribution="rules")
    assert model.hash != rules.hash
    assert "attribution_model" in resource_hashes(model)
    assert "attribution_model" not in resource_hashes(rules)


def test_analyze_batch_passes_the_attribution_system_to_the_text_layer():
    m = analyze_batch(DOCS, Config(sentiment=False, steps=[]))["quotes"]
    r = analyze_batch(DOCS, Config(sentiment=False, steps=[], attribution="rules"))["quotes"]
    assert "attribution" in m.columns and "attribution" not in r.columns
    # the model reads the evidential ("Polls show ...") the rules do not
    assert "evidential" in set(m["attribution"].astype(str))


def test_manifest_records_the_attribution_system(tmp_path):
    an = analyze(DOCS, Config(sentiment=False, steps=[]), use_cache=False)
    rec = an.manifest["attribution"]
    assert rec["system"] == "model"
    assert rec["reported_voice"] == ["speech", "evidential"]
    assert rec["author_voice"] == ["cognition"]
    assert len(rec["weights_sha256"]) == 64 and rec["data_sha256"]
    an.save(tmp_path / "a")
    from framelens.pipeline import open_analysis

    back = open_analysis(tmp_path / "a")
    assert back.config.attribution == "model"
    assert back.manifest["attribution"]["system"] == "model"
    rules = analyze(DOCS, Config(sentiment=False, steps=[], attribution="rules"), use_cache=False)
    assert rules.manifest["attribution"]["system"] == "rules"
