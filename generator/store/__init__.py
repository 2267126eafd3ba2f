"""Everything a build keeps for the next one, behind one package; the stages and `model.py` know
nothing of it. The README's "Large corpora" has the table of what is stored where.

- `keyed`: `KeyedStore`, one SQLite file of results and of the small values a build carries over.
- `results`: `ResultCache`, each article's result by a key of everything that can change it,
  and the corpus fold's file.
- `pages`: `PageStore` and `EntryPack`, the source pages and `briefing.json` entries of the last build.
- `files`: files written atomically, sealed, listed once per build and pruned.
"""

from .files import copy_file, write_all, write_atomically
from .keyed import FILE, KeyedStore, StoreError
from .pages import EntryPack, PageStore
from .results import ResultCache, code_fingerprint

__all__ = ["FILE", "EntryPack", "KeyedStore", "PageStore", "ResultCache", "StoreError", "code_fingerprint",
           "copy_file", "write_all", "write_atomically"]
