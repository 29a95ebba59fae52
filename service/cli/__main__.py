"""``python -m citeqa.service.cli``: the ``citeqa`` command."""

from citeqa.service.cli import main

main()
