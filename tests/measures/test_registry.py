"""The step registry: declared steps, options with one set of defaults, dependency order."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

from framelens import measures
from framelens.errors import ConfigError
from framelens.measures import registry


def test_builtin_steps_in_dependency_order():
    assert list(measures.steps()) == ["actors", "framing", "neutrality", "alignment"]
    assert measures.get_step("alignment").requires == ("docs", "sentences", "mentions")
    assert "mentions" in measures.get_step("actors").provides


def test_unknown_step_names_the_valid_ones():
    with pytest.raises(ConfigError, match="valid steps: actors, framing.*did you mean 'framing'"):
        measures.get_step("framng")


def test_misspelt_option_names_step_and_valid_options():
    with pytest.raises(ConfigError) as exc:
        measures.resolve_options("framing", {"headline_weigth": 2.0})
    msg = str(exc.value)
    assert msg.startswith("framing has no option 'headline_weigth'; valid options: ")
    assert "lead_weight" in msg and msg.endswith("(did you mean 'headline_weight'?)")


@pytest.mark.parametrize(
    "step, options, expected",
    [
        (
            "framing",
            {"lead_sentences": "two"},
            "framing option 'lead_sentences' must be an integer",
        ),
        ("framing", {"dense_sentences": 1}, "must be true/false"),
        ("framing", {"headline_weight": True}, "must be a number"),
        ("framing", {"actor_cues": "drop"}, "'drop' is not one of 'count'"),
        ("framing", {"sentence_min_cues": 0}, "must be > 0"),
        ("neutrality", {"sentiment": "yes"}, "neutrality option 'sentiment'"),
        ("alignment", {"camps": {"RUS": "RUS", "WST": ["WST"]}}, "camp 'RUS' must be a list"),
        ("alignment", {"focal": "SRB"}, "camps is not set"),
        ("alignment", {"tone": False}, "alignment has no option 'tone'"),
    ],
)
def test_ill_typed_options_are_config_errors(step, options, expected):
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(")):
        measures.resolve_options(step, options)


def test_resolve_fills_defaults_and_keeps_given():
    opts = measures.resolve_options(
        "alignment", {"focal": "SRB", "camps": {"A": ["RUS", "BLR"], "B": ["WST"]}}
    )
    assert opts["focal"] == "SRB" and opts["camps"]["A"] == ["RUS", "BLR"]
    assert opts["historical_years"] == 25 and opts["mention_tone"] is True
    assert measures.resolve_options("alignment", {})["focal"] is None


@pytest.mark.parametrize("name", list(measures.steps()))
def test_one_set_of_defaults(name):
    """The step function's options have no defaults of their own: the Option specs hold them."""
    spec = measures.get_step(name)
    inner = inspect.unwrap(spec.func)
    params = list(inspect.signature(inner).parameters.values())[1:]
    assert {p.name for p in params} == set(spec.options)
    assert all(p.default is inspect.Parameter.empty for p in params)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    for o in spec.options.values():
        assert o.doc and o.validate(name, o.default) is o.default


def test_resources_follow_options(tmp_path):
    assert measures.resource_paths("actors", {})["gazetteer"].name == "actors.yaml"
    gaz = tmp_path / "g.yaml"
    paths = measures.resource_paths("actors", {"gazetteer": str(gaz), "extend": gaz})
    assert paths == {"gazetteer": gaz, "gazetteer_extend": gaz}
    assert measures.resource_paths("neutrality", {})["bias_model"].name == "bias_model.json"
    assert measures.resource_paths("neutrality", {"bias_model": "formula"}) == {}
    assert measures.resource_paths("framing", {}) == {}
    assert all(isinstance(p, Path) for p in measures.resource_paths("actors", {}).values())


def test_order_steps_follows_requires_and_provides():
    assert measures.order_steps(["alignment", "actors"]) == ("actors", "alignment")
    assert measures.order_steps(["neutrality", "framing"]) == ("framing", "neutrality")
    with pytest.raises(ConfigError, match="requires the table 'mentions'.*add 'actors'"):
        measures.order_steps(["framing", "alignment"])


def test_register_step_rejects_duplicates_and_orders_new_steps():
    opts = [registry.Option("k", int, 1, "a number")]

    @measures.register_step(
        "t_blame", requires=("mentions", "quotes"), provides=("blame",), options=opts
    )
    def blame(tables, *, k):
        return {"blame": pd.DataFrame({"k": [k]})}

    try:
        assert list(measures.steps())[-1] == "t_blame"
        assert measures.order_steps(["t_blame", "actors"]) == ("actors", "t_blame")
        assert blame({})["blame"]["k"].tolist() == [1]
        with pytest.raises(ConfigError, match="t_blame has no option 'j'"):
            blame({}, j=2)
        with pytest.raises(ConfigError, match="already registered"):
            measures.register_step("t_blame", requires=(), provides=())(blame)
    finally:
        registry.unregister_step("t_blame")
    assert "t_blame" not in measures.steps()
