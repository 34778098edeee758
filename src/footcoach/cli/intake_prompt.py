"""The intake questions, asked in the terminal with defaults and validation as you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console

from footcoach.domain.intake import INJECTION_WEEKS_RANGE, PainSite
from footcoach.services.intake_questions import (
    EQUIPMENT_WORDS,
    INJECTION_QUESTION,
    INJECTION_WEEKS_QUESTION,
    MAIN_SITE_QUESTION,
    PREGNANT_QUESTION,
    RED_FLAG_QUESTIONS,
)

Ask = Callable[[str], str]


class IntakeQuestions:
    """Asks each question until the answer is valid; `ask` reads one line (Rich by default)."""

    def __init__(self, console: Console, ask: Ask | None = None) -> None:
        self.console = console
        self.ask_line = ask or (lambda prompt: console.input(prompt))

    def _ask(self, prompt: str, default: str | None, check: Callable[[str], str | None]) -> str:
        """Ask until `check` passes; with no default, an empty answer is asked again."""
        shown = f"{prompt} [{default}]: " if default is not None else f"{prompt}: "
        while True:
            raw = self.ask_line(shown).strip() or (default or "")
            error = check(raw)
            if error is None:
                return raw
            self.console.print(f"[red]{error}[/red]")

    def number(self, prompt: str, default: int, low: int, high: int) -> int:
        def check(raw: str) -> str | None:
            ok = raw.isdigit() and low <= int(raw) <= high
            return None if ok else f"Please type a whole number from {low} to {high}."

        return int(self._ask(prompt, str(default), check))

    def choice(self, prompt: str, options: list[str], default: str | None) -> str:
        def check(raw: str) -> str | None:
            return None if raw in options else f"Please type one of: {', '.join(options)}."

        return self._ask(f"{prompt} ({'/'.join(options)})", default, check)

    def yes(self, prompt: str) -> bool:
        answer = self.choice(prompt, ["y", "n"], "n")
        return answer == "y"

    def several(self, prompt: str, options: list[str], default: str) -> list[str]:
        def check(raw: str) -> str | None:
            picked = [p.strip() for p in raw.split(",") if p.strip()]
            wrong = [p for p in picked if p not in options and p != "none"]
            return f"Not on the list: {', '.join(wrong)}." if wrong else None

        raw = self._ask(
            f"{prompt}\n  ({', '.join(options)}; comma-separated, or none)", default, check
        )
        return [p.strip() for p in raw.split(",") if p.strip() and p.strip() != "none"]

    def clock(self, prompt: str, default: str) -> str:
        def check(raw: str) -> str | None:
            parts = raw.split(":")
            ok = (
                len(parts) == 2
                and all(p.isdigit() and len(p) == 2 for p in parts)
                and int(parts[0]) < 24
                and int(parts[1]) < 60
            )
            return None if ok else "Please type a 24-hour time such as 06:30."

        return self._ask(prompt, default, check)

    def main_site(self, sites: list[str]) -> str | None:
        """Which site hurts most, asked only when more than one was given."""
        order = [site.value for site in PainSite]
        given = sorted(set(sites), key=order.index)
        if len(given) < 2:
            return None
        return self.choice(MAIN_SITE_QUESTION, given, None)  # no default: a real answer

    def run(self) -> dict[str, Any]:
        """All the questions, as a footcoach.intake/1 document."""
        out = self.console
        out.print("[bold]A few questions first.[/bold] footcoach informs; it does not diagnose.")
        age = self.number("Your age", 45, 1, 120)
        goal = self.choice("What do you want most", ["heel_pain", "foot_strength"], "heel_pain")
        feet = self.choice("Which foot hurts or needs work", ["left", "right", "both"], "both")
        sites = self.several(
            "Where does it hurt",
            ["plantar_heel", "arch", "back_of_heel", "toes", "ankle", "calf", "other"],
            "plantar_heel" if goal == "heel_pain" else "none",
        )
        main_site = self.main_site(sites)
        pain = self.number(
            "Pain on your first steps in the morning, 0 (none) to 10 (worst)", 5, 0, 10
        )
        weeks = self.number("How many weeks has it hurt (0 if it does not)", 8, 0, 520)
        out.print(
            "[bold]Safety questions.[/bold] Any yes means footcoach sends you to a clinician."
        )
        flags = [flag.value for flag, question in RED_FLAG_QUESTIONS.items() if self.yes(question)]
        out.print("[bold]Two more questions.[/bold] They shape the plan; they do not stop it.")
        pregnant = self.yes(PREGNANT_QUESTION)
        injection_weeks = None
        if self.yes(INJECTION_QUESTION):
            injection_weeks = self.number(INJECTION_WEEKS_QUESTION, 0, *INJECTION_WEEKS_RANGE)
        out.print(
            "What do you have at home? "
            + "; ".join(f"{e.value} = {w}" for e, w in EQUIPMENT_WORDS.items())
        )
        equipment = self.several(
            "Your equipment", [e.value for e in EQUIPMENT_WORDS], "towel, wall"
        )
        minutes = self.number("Minutes a day you can give it", 20, 5, 120)
        wake = self.clock("When do you usually get up", "07:00")
        bed = self.clock("When do you usually go to bed", "22:30")
        return {
            "schema": "footcoach.intake/1",
            "age": age,
            "feet": feet,
            "goal": goal,
            "pain_site": sites,
            "first_step_pain": pain,
            "weeks_of_symptoms": weeks,
            "red_flags": flags,
            "equipment": equipment,
            "minutes_per_day": minutes,
            "wake_time": wake,
            "bed_time": bed,
            "main_pain_site": main_site,
            "pregnant": pregnant,
            "steroid_injection_weeks_ago": injection_weeks,
        }
