"""Which dispute the queue keeps selected while its rows reload underneath — a small state machine, no Qt.

A load replaces every row; the clerk's case must stay selected (or move to the one asked for), even when it is
past the head and only found once every key is in, and the clerk's own choice during a load always wins. Four
facts make the state:

- `current`: the dispute last announced as selected (`case_selected`), or None;
- `keep`: the dispute to select again once the running load has it (None: nothing to restore);
- `first_load`: no load has finished yet (the first one selects the top row);
- `chosen_early`: the clerk made a row current whose dispute was not known yet (past the head while the key
  list loads); it is announced once the keys are in.

The panel tells it what happened (`reloading`, `query_changed`, `head_loaded`, `keys_loaded`, `row_made_current`)
and does what it answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

#: What to do when a load's head or keys are in: wait for the keys, select a dispute, or clear the selection.
Restore = tuple[Literal["wait", "select", "clear"], str | None]
#: What to do when every key is in: nothing, announce the row's dispute (a new case), or select `current` again
#: where it moved to (the same case: not announced).
AfterKeys = tuple[Literal["none", "announce", "follow"], str | None]


@dataclass
class SelectionKeeper:
    current: str | None = None
    keep: str | None = None
    first_load: bool = True
    chosen_early: bool = False

    def reloading(self, select: str | None = None) -> None:
        """A reload starts: select `select` afterwards, else what is selected now."""
        self.keep = select or self.current

    def query_changed(self) -> None:
        """Another view, filter or sort starts loading: keep the selected case if the new rows have it."""
        self.keep = self.current

    def head_loaded(self, is_listed: Callable[[str], bool], loading: bool, first: str | None) -> Restore:
        """The head (or, `loading` False, everything) is in; `first` is the top row's dispute."""
        keep = self.keep
        if keep is not None and not is_listed(keep) and loading:
            return ("wait", None)  # it may be past the head: looked for again when every key is in
        self.keep = None
        first_load, self.first_load = self.first_load, False
        if keep is not None and is_listed(keep):
            return ("select", keep)
        if first_load and first is not None:
            return ("select", first)
        self.current = None
        return ("clear", None)

    def keys_loaded(self, shown: str | None, is_listed: Callable[[str], bool], first: str | None) -> Restore | AfterKeys:
        """Every key is in; `shown` is the dispute of the table's current row now.

        A kept dispute is looked for (a `Restore`); else a row chosen early gets its dispute announced, and if the
        order moved between the head and the keys, the selection follows its case (an `AfterKeys`)."""
        if self.keep is not None:
            return self.head_loaded(is_listed, False, first)
        if self.chosen_early:
            self.chosen_early = False
            if shown is not None and shown != self.current:
                self.current = shown
                return ("announce", shown)
            return ("none", None)
        if self.current is not None and shown != self.current and is_listed(self.current):
            return ("follow", self.current)
        return ("none", None)

    def row_made_current(self, valid: bool, dispute_id: str | None) -> bool:
        """The table's current row changed (keyboard, mouse, or a restore). True: announce `dispute_id`."""
        self.chosen_early = valid and dispute_id is None  # past the head: announced once keyed
        if valid and self.keep is not None and dispute_id != self.keep:
            self.keep = None  # the clerk chose another row while a load was restoring the selection: theirs wins
        if dispute_id is not None and dispute_id != self.current:
            self.current = dispute_id
            return True
        return False
