"""The table of irregular inflections the answer step reads as their lemma (``index/text/irregular.json``).

Snowball stems regular endings only: "met" is not "meet", "spent" not "spend", "built" not "build",
"won" not "win", so "Who did Rutte meet on April 9?" did not match "On April 9, Rutte met with ...".
The table holds every lower-case inflection of lemminflect's lexicon with exactly one lemma (of any
part of speech) whose Snowball stem differs from its lemma's: 2,606 forms. An ambiguous form
("left": leave or left, "found": find or found, "saw": see or saw) is not in it; those of a verb go to a
second table (``irregular_ambiguous.json``, lemma -> forms), tried only for a question's verb that the
index lacks ("What did Okafor find?" over "Okafor found ...").

lemminflect is not a dependency of citeqa (loading it costs ~34 MB of a serving process's memory,
issue 14's ceiling being 400 MB); the table is data. To regenerate:

    pip install --target /tmp/lemlib lemminflect==0.2.3
    PYTHONPATH=/tmp/lemlib .venv/bin/python bench/answer_model/irregular_forms.py

Measured (bench/answer_model/RESULTS.md): nested CV and the held-out sets unchanged or within one
question; the new-user trials' "met"/"meet" question answered from the right sentence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "index" / "text" / "irregular.json"
AMBIGUOUS_OUT = ROOT / "index" / "text" / "irregular_ambiguous.json"


def table() -> dict[str, str]:
    """Inflection -> lemma, for the forms described in the module docstring."""
    from lemminflect.core.Lemmatizer import Lemmatizer  # type: ignore[import-not-found]

    from citeqa.index.text.tokens import _stemmer

    lemmatizer = Lemmatizer()
    lemmatizer.getAllLemmas("spent")  # loads the lexicon
    stem = _stemmer().stemWord
    out: dict[str, str] = {}
    for word, by_pos in lemmatizer.lemma_dict.items():
        if not word.isalpha() or not word.islower():
            continue
        lemmas = {lemma for found in by_pos.values() for lemma in found}
        if len(lemmas) != 1:
            continue
        (lemma,) = lemmas
        if lemma != word and lemma.isalpha() and stem(lemma) != stem(word):
            out[word] = lemma
    return dict(sorted(out.items()))


def _regular(form: str, lemma: str) -> bool:
    """Whether ``form`` is a regular inflection of ``lemma`` ("axed" of "ax", "feed" of "fee")."""
    endings = ("s", "es", "ed", "d", "ing", lemma[-1] + "ed", lemma[-1] + "ing")
    return any(form == lemma + e for e in endings) or form in (lemma[:-1] + e for e in ("ing", "ied", "ies", "ed"))


def ambiguous_table() -> dict[str, list[str]]:
    """Verb lemma -> its irregular forms that have another lemma too ("find" -> ["found"], "think" ->
    ["thought"], "rewrite" -> ["rewritten", "rewrote"]): never read as the lemma (a text's "found" may be
    the verb to found), only tried for a question's verb that the index lacks."""
    from lemminflect.core.Lemmatizer import Lemmatizer

    from citeqa.index.text.tokens import _stemmer

    lemmatizer = Lemmatizer()
    lemmatizer.getAllLemmas("spent")
    stem = _stemmer().stemWord
    out: dict[str, list[str]] = {}
    for word, by_pos in lemmatizer.lemma_dict.items():
        if not word.isalpha() or not word.islower():
            continue
        lemmas = {lemma for found in by_pos.values() for lemma in found}
        if len(lemmas) < 2:
            continue
        for lemma in sorted(lemmas & set(by_pos.get("VERB", ()))):
            if lemma != word and lemma.isalpha() and stem(lemma) != stem(word) and not _regular(word, lemma):
                out.setdefault(lemma, []).append(word)
    return {lemma: sorted(forms) for lemma, forms in sorted(out.items())}


def main() -> None:
    forms = table()
    OUT.write_text(json.dumps(forms, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(forms)} forms -> {OUT.relative_to(ROOT)}")
    ambiguous = ambiguous_table()
    AMBIGUOUS_OUT.write_text(json.dumps(ambiguous, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(ambiguous)} verbs with ambiguous forms -> {AMBIGUOUS_OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
