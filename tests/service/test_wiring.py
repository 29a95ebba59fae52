"""Settings reach the components: the approximate index's query-time parameters are applied when it is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from citeqa.index.store.dense import default_nprobe, search_params_of
from citeqa.service import wiring
from citeqa.service.settings import Settings
from tests.conftest import ROOT, build_test_index


@pytest.fixture(scope="module")
def ivf_index(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    return build_test_index(ROOT / "corpus", tmp_path_factory.mktemp("ivf-index"), build_embedder, index_kind="ivf")


def test_the_built_nprobe_is_kept_unless_a_setting_overrides_it(ivf_index: Path, engine: Any) -> None:
    built = wiring.load_engine(Settings(index_dir=ivf_index), previous=engine)
    params = search_params_of(built.data.faiss_index)
    assert params["kind"] == "ivf" and params["nprobe"] == default_nprobe(int(params["lists"]))
    tuned = wiring.load_engine(Settings(index_dir=ivf_index, ivf_nprobe=3, hnsw_ef_search=50), previous=engine)
    assert search_params_of(tuned.data.faiss_index)["nprobe"] == 3
    passages = tuned.search("What did Rutte and Japan agree on?", 3).passages
    assert passages[0].doc_id == "japan-nato-rutte-visit"


@pytest.mark.parametrize(("field", "value"), [("ivf_nprobe", "0"), ("hnsw_ef_search", "-5"), ("ivf_nprobe", "many")])
def test_a_bad_search_setting_is_refused_naming_it(field: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"CITEQA_{field.upper()}", value)
    with pytest.raises(ValidationError, match=field):
        Settings()
