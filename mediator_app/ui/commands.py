"""The window's commands: QActions with their shortcuts, in the menus and the toolbar, enabled from the domain.

Which role sees a command and whether it is enabled on the open case both come from `domain.permissions`
(the services refuse through the same rule), so an enabled command is one the service accepts.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow

from mediator_app.domain import permissions
from mediator_app.ui import language
from mediator_app.ui.formatting import QT_TRANSLATE_NOOP
from mediator_app.ui.language import LANGUAGES

#: command -> (menu text, shortcut, the domain action it takes: its roles and its enabling)
COMMANDS: dict[str, tuple[str, str, str | None]] = {
    "NextCase": (QT_TRANSLATE_NOOP("Commands", "&Next case"), "Ctrl+N", "claim"),
    "Claim": (QT_TRANSLATE_NOOP("Commands", "&Claim"), "Ctrl+K", "claim"),
    "Release": (QT_TRANSLATE_NOOP("Commands", "Re&lease"), "Ctrl+Shift+K", "release"),
    "Propose": (QT_TRANSLATE_NOOP("Commands", "&Propose…"), "Ctrl+P", "propose"),
    "Rule": (QT_TRANSLATE_NOOP("Commands", "&Rule…"), "Ctrl+R", "rule"),
    "Approve": (QT_TRANSLATE_NOOP("Commands", "&Approve"), "Ctrl+Shift+A", "approve"),
    "SendBack": (QT_TRANSLATE_NOOP("Commands", "&Send back…"), "Ctrl+Shift+B", "send-back"),
    "Assign": (QT_TRANSLATE_NOOP("Commands", "Assi&gn to…"), "Ctrl+Shift+G", "assign"),
    "Note": (QT_TRANSLATE_NOOP("Commands", "N&ote…"), "Ctrl+M", "note"),
    "Refresh": (QT_TRANSLATE_NOOP("Commands", "Re&fresh"), "F5", None),
}
#: commands that act on the open case: enabled exactly when the domain allows their action
CASE_COMMANDS = ("Claim", "Release", "Propose", "Rule", "Approve", "SendBack", "Assign", "Note")


def role_may(role: str, action: str | None) -> bool:
    """A command without an action (Refresh) is everyone's; else the domain's `permissions.role_may`."""
    return action is None or permissions.role_may(role, action)


class Commands(QObject):
    """Builds the Case and View menus and the toolbar; `actions_by_name` keeps every QAction by command name
    (object names `action<Name>`, which tests and automation use)."""

    def __init__(self, window: QMainWindow, role: str, handlers: dict[str, Callable[..., object]],
                 sweep_every_s: int) -> None:
        super().__init__(window)
        self.role = role
        self.actions_by_name: dict[str, QAction] = {}
        case_menu = window.menuBar().addMenu(self.tr("&Case"))
        case_menu.setObjectName("menuCase")
        view_menu = window.menuBar().addMenu(self.tr("&View"))
        toolbar = window.addToolBar(self.tr("Actions"))
        toolbar.setObjectName("actionsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name, (text, shortcut, action_name) in COMMANDS.items():
            action = QAction(self.tr(text), window)
            action.setObjectName(f"action{name}")
            action.setShortcut(QKeySequence(shortcut))
            plain = self.tr(text).replace("&", "").replace("…", "")
            action.setToolTip(f"{plain} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(handlers[name])
            allowed = role_may(role, action_name)
            action.setVisible(allowed)
            self.actions_by_name[name] = action
            (view_menu if name == "Refresh" else case_menu).addAction(action)
            if name != "Refresh" and allowed:
                toolbar.addAction(action)
        sweep = QAction(self.tr("Run the &sweeper on this workstation"), window)
        sweep.setObjectName("actionSweep")
        sweep.setCheckable(True)
        sweep.setToolTip(self.tr("Execute expired party clocks from here every %1 s (exactly once, however many "
                                 "workstations do)").replace("%1", str(sweep_every_s)))
        sweep.setVisible(role_may(role, "claim"))
        sweep.toggled.connect(handlers["Sweep"])
        view_menu.addAction(sweep)
        self.actions_by_name["Sweep"] = sweep
        find = QAction(self.tr("&Filter the queue"), window)
        find.setObjectName("actionFilter")
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(handlers["Filter"])
        view_menu.addAction(find)
        self.actions_by_name["Filter"] = find
        quit_action = QAction(self.tr("&Quit"), window)
        quit_action.setObjectName("actionQuit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(handlers["Quit"])
        case_menu.addSeparator()
        case_menu.addAction(quit_action)
        self._language_menu(window, handlers.get("Language"))

    def _language_menu(self, window: QMainWindow, handler: Callable[..., object] | None) -> None:
        """Settings → Language: each language by its own name, the current one checked (`actionLanguage_zh_CN`)."""
        settings_menu = window.menuBar().addMenu(self.tr("&Settings"))
        settings_menu.setObjectName("menuSettings")
        menu = settings_menu.addMenu(self.tr("&Language"))
        menu.menuAction().setObjectName("menuLanguage")
        group = QActionGroup(window)
        group.setExclusive(True)
        for code, name in LANGUAGES.items():
            action = QAction(name, window)
            action.setObjectName(f"actionLanguage_{code}")
            action.setCheckable(True)
            action.setChecked(code == language.current())
            group.addAction(action)
            menu.addAction(action)
            if handler is not None:
                action.triggered.connect(lambda _checked=False, chosen=code: handler(chosen))
            self.actions_by_name[f"Language_{code}"] = action

    def enable(self, allowed: frozenset[str]) -> None:
        """Enable each case command exactly when the domain allows its action (`permissions.allowed_actions`
        on the open case); the others stay enabled."""
        for name, action in self.actions_by_name.items():
            if name.startswith("Language_"):
                continue
            if name in CASE_COMMANDS:
                domain_action = COMMANDS[name][2]
                action.setEnabled(domain_action in allowed)
            else:
                action.setEnabled(True)
