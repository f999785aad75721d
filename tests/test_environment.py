"""pyproject.toml and environment.yml list the same dependencies with the same lower bounds."""

import re
import tomllib

import yaml

from conftest import ROOT

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"vadersentiment": "vadersentiment", "dask[dataframe]": "dask"}


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*(>=\s*[\w.]+)?", req)
    name = m.group(1).lower().replace("_", "-")
    name = CONDA_NAMES.get(name, re.sub(r"\[.*\]", "", name))
    return name, (m.group(2) or "").replace(" ", "")


def _pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        reqs += extra
    return dict(_norm(r) for r in reqs)


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [
        d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))
    ]
    return dict(_norm(d) for d in deps)


def test_environment_yml_mirrors_pyproject():
    assert _environment() == _pyproject()


def test_every_dependency_has_a_lower_bound():
    assert all(bound.startswith(">=") for bound in _pyproject().values())
