"""The console's prompt: slash commands, numbers that click, modals as prompts, and
`:commands` of its own. Reads any text stream, so a script piped in prints a transcript."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bot.console import modal
from bot.console.engine import Engine, Message, Shown, Target
from bot.console.mrkdwn import Style
from bot.console.render import draw_blocks, text_of
from bot.manifest import SHORTCUTS
from storage.kinds import DigestKind

HELP = """\
Type what you would type in Slack, and the real app answers:
  /deal help   /lead help   /pipeline   /funnel last week   /deal list
A number clicks the button or menu option drawn with it: [3]. Console commands:
  :user NAME        act as another user (:user alone lists them)
  :home             open your Home tab
  :digest pipeline  what a scheduled digest would post now (also: funnel)
  :nudges           the nudge you (the acting user) would get now, by direct message
  :messages         the recent messages; :replay N draws message N again
  :say TEXT         write TEXT in #sales as yourself (a message, not a command)
  :shortcut add-to-deal N   the Add to deal shortcut on message N (from :messages);
                            :shortcut add-to-lead N likewise, on a lead
  :shortcut new-deal, :shortcut new-lead   the shortcuts menu's New deal, New lead
  :help             this help          :quit   leave (or Ctrl-D)
In a modal, answer each field; Enter keeps the [default]; :cancel closes it. A menu
that searches as you type asks for a search text, then lists what it found."""

Digest = Callable[[Engine, DigestKind], list[Shown]]
# `add-to-deal` -> (callback_id, "message" or "global"), as the manifest names them
SHORTCUT_NAMES = {name.lower().replace(" ", "-"): (callback_id, kind)
                  for name, kind, callback_id, _ in SHORTCUTS}


class Console:
    """One session at the prompt: what the user types goes to the engine, what comes back
    is drawn on `out`."""

    def __init__(self, engine: Engine, *, stdin: TextIO, out: TextIO, style: Style,
                 interactive: bool, digest: Digest) -> None:
        self.engine, self.stdin, self.out, self.style = engine, stdin, out, style
        self.interactive = interactive
        self.digest = digest
        self.targets: list[Target] = []

    def run(self) -> int:
        """Reads lines until :quit or the end of the input."""
        self.say(self.style.paint("Dealbot console", "bold") + ": the real app, with this "
                 "terminal as Slack. :help shows how.")
        while True:
            line = self.ask(f"{self.engine.users.name(self.engine.user)}> ")
            if line is None or not self.handle(line.strip()):
                return 0

    def handle(self, line: str) -> bool:
        """Acts on one typed line; False when the user leaves."""
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            self.show(self.engine.command(line))
        elif line.isdigit():
            self.click(int(line))
        elif line.startswith(":"):
            return self.meta(line[1:].split())
        else:
            self.say("Type a slash command like /deal help, a number to click, or :help.")
        return True

    def meta(self, words: list[str]) -> bool:
        word, args = (words[0].lower(), words[1:]) if words else ("help", [])
        if word in ("quit", "q", "exit"):
            return False
        if word in ("user", "users"):
            self.switch_user(args)
        elif word == "home":
            self.show(self.engine.open_home())
        elif word == "digest" and args and args[0] in tuple(DigestKind):
            self.show(self.digest(self.engine, DigestKind(args[0])))
        elif word in ("nudges", "nudge"):
            self.show(self.engine.post_nudge())
        elif word == "messages":
            self.list_messages()
        elif word == "replay" and args and args[0].isdigit():
            self.replay(int(args[0]))
        elif word == "say" and args:
            self.show([Shown("message", self.engine.say(" ".join(args)))])
        elif word == "shortcut":
            self.shortcut(args)
        else:
            self.say(HELP)
        return True

    def switch_user(self, args: list[str]) -> None:
        users = self.engine.users
        if args:
            try:
                self.engine.user = users.add(args[0])
            except ValueError as error:
                self.say(str(error))
                return
        names = ", ".join(("*" if users.id_of(n) == self.engine.user else "") + n
                          for n in users.names)
        self.say(f"You are @{users.name(self.engine.user)}. Users (* is you): {names}.")

    def list_messages(self) -> None:
        recent = [m for m in self.engine.messages if not m.deleted][-15:]
        for m in recent:
            first = (text_of({"type": "mrkdwn", "text": m.text}, self.style)
                     or "(blocks)").splitlines()[0][:60]
            who = f"@{self.engine.users.name(m.author)}: " if m.author else ""
            where = "only you " if m.ephemeral else "#sales   "
            self.say(f"  {m.number:>3}  {where} {who}{first}"[:80])
        if not recent:
            self.say("No messages yet.")

    def replay(self, number: int) -> None:
        found = self.message(number)
        if found is not None:
            self.show([Shown("message", found)])

    def message(self, number: int) -> Message | None:
        found = [m for m in self.engine.messages if m.number == number and not m.deleted]
        if not found:
            self.say(f"There is no message {number}; :messages lists them.")
        return found[0] if found else None

    def shortcut(self, args: list[str]) -> None:
        """`:shortcut add-to-deal N` on message N; `:shortcut new-deal` from the menu."""
        callback_id, kind = SHORTCUT_NAMES.get(args[0].lower() if args else "", ("", ""))
        if kind == "message" and len(args) == 2 and args[1].isdigit():
            if (message := self.message(int(args[1]))) is not None:
                self.show(self.engine.message_shortcut(callback_id, message))
        elif kind == "global" and len(args) == 1:
            self.show(self.engine.global_shortcut(callback_id))
        else:
            usage = [f":shortcut {name}" + (" N" if kind == "message" else "")
                     for name, (_, kind) in SHORTCUT_NAMES.items()]
            self.say("The shortcuts: " + ", ".join(usage) + "\n(N: a message number from "
                     ":messages).")

    def click(self, number: int) -> None:
        if not 1 <= number <= len(self.targets):
            self.say(f"There is no [{number}] on screen. :replay N draws a message again.")
            return
        target = self.targets[number - 1]
        picked: dict = {}
        if target.element.get("type") in ("users_select", "datepicker"):
            # a picker in a message: ask for the user or date, as Slack's menu would
            pick = {"type": "input", "block_id": "pick", "label": {
                "type": "plain_text", "text": "Choose"},
                "element": {**target.element, "action_id": "pick"}}
            try:
                picked = modal.ask_inputs([pick], self.ask, self.say, self.style,
                                          self.engine.users, {})["pick"]["pick"]
            except modal.Cancelled:
                return
        self.show(self.engine.click(target, user=picked.get("selected_user"),
                                    date=picked.get("selected_date")))

    # Drawing

    def show(self, shown: list[Shown]) -> None:
        """Draws what the app sent; numbers restart when something clickable is drawn."""
        targets: list[Target] = []
        opened = None
        for item in shown:
            if item.kind == "modal":
                opened = item.view
            else:
                self._draw(item, targets)
        if targets:
            self.targets = targets
        if opened is not None:
            self.fill_modal(opened)

    def _draw(self, item: Shown, targets: list[Target]) -> None:
        m = item.message
        if item.kind == "notice":
            self.say(self.style.paint(f"  {item.text}", "dim"))
            return
        if item.kind == "home":
            title = f"Home tab of @{self.engine.users.name(item.text)}"
            view = item.view or {}
            self._frame(title, draw_blocks(view.get("blocks", []), self.style, targets,
                                           view=view))
            return
        assert m is not None
        if item.kind == "deleted":
            self.say(self.style.paint(f"  (message {m.number} was deleted)", "dim"))
            return
        where = "only visible to you" if m.ephemeral else "in #sales"
        verb = "updated message" if item.kind == "updated" else "message"
        lines = draw_blocks(m.blocks, self.style, targets, message=m) or [
            f"  {line}" for line in text_of({"type": "mrkdwn", "text": m.text},
                                             self.style).splitlines()]
        who = f"@{self.engine.users.name(m.author)}" if m.author else "Dealbot"
        self._frame(f"{who} {where} · {verb} {m.number}", lines)

    def _frame(self, title: str, lines: list[str]) -> None:
        rule = "─" * max(0, self.style.width - len(title) - 4)
        self.say(self.style.paint(f"── {title} {rule}", "dim"))
        for line in lines:
            self.say(line)

    def fill_modal(self, view: dict) -> None:
        """Asks the modal's fields and submits it, until the app closes it."""
        errors: dict[str, str] = {}
        values: dict[str, dict[str, dict]] = {}
        while True:
            title = text_of(view.get("title"), self.style)
            scratch: list[Target] = []
            body = draw_blocks([b for b in view.get("blocks", []) if b.get("type") != "input"],
                               self.style, scratch, view=view)
            self._frame(f"Modal: {title}", body)
            blocks = [b for b in modal.input_blocks(view)
                      if not errors or b.get("block_id") in errors]
            def search(action_id: str, typed: str, shown: dict = view) -> list[dict]:
                return self.engine.suggest(shown, action_id, typed)

            try:
                values.update(modal.ask_inputs(blocks, self.ask, self.say, self.style,
                                               self.engine.users, errors, search=search))
            except modal.Cancelled:
                self.engine.modals.clear()
                self.say(self.style.paint("  (modal closed, nothing sent)", "dim"))
                return
            answer, shown = self.engine.submit(view, values)
            action = answer.get("response_action")
            if action == "errors":
                errors = {k: str(v) for k, v in (answer.get("errors") or {}).items()}
                continue
            errors, values = {}, {}
            if action in ("update", "push"):
                view = {**answer["view"], "id": view.get("id", "")}
                continue
            self.engine.modals.clear()
            self.show(shown)
            return

    # Input and output

    def ask(self, prompt: str) -> str | None:
        """One line from the user; None at the end of the input. Piped lines are echoed so
        the output reads as a transcript."""
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.out.write("\n")
                return None
        line = self.stdin.readline()
        if not line:
            return None
        self.say(self.style.paint(prompt, "bold") + line.rstrip("\n"))
        return line.rstrip("\n")

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
