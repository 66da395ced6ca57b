"""Every option of every `passport-ocr` subcommand says what it does and what it defaults to.

The real parser is walked (verbs are discovered, so an option added on any branch is
covered): an option with no help, or whose help does not state its default, fails here.
The rules: every option and positional has help; an option taking a value with a default
names that value beside the word "default" (`%(default)s` counts, as argparse expands it);
one taking a value with none (None, []) says what happens without it ("default: today",
"default: none"); flags (off unless given) and required options need only their help.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from passport_ocr.tools.cli import build_parser

#: Actions argparse adds by itself, with their own help.
_BUILT_IN = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)


def parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ("passport-ocr",)
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser and every subcommand's, nested ones too (`events sample`)."""
    yield " ".join(path), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, (*path, name))


def options() -> list[tuple[str, argparse.ArgumentParser, argparse.Action]]:
    return [
        (command, parser, action)
        for command, parser in parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, _BUILT_IN)
    ]


def expanded_help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The help as `--help` prints it (`%(default)s` filled in), by argparse's own
    formatter, so the test reads what the user reads."""
    return parser._get_formatter()._expand_help(action)


def name(action: argparse.Action) -> str:
    return "/".join(action.option_strings) or action.dest


def takes_a_value(action: argparse.Action) -> bool:
    return bool(action.option_strings) and action.nargs != 0


def default_texts(default: object) -> set[str]:
    """How a default may be written in help: as is, and numbers also as %g (30.0 as 30)."""
    texts = {str(default).lower()}
    if isinstance(default, float):
        texts.add(f"{default:g}")
    return texts


OPTIONS = options()


def test_the_walk_sees_every_verb_and_nested_subcommands() -> None:
    commands = {command for command, _, _ in OPTIONS}
    verbs = {
        "recognize", "process", "mrz", "normalize", "invoke", "events sample", "backfill",
        "engine prepare",
    }  # fmt: skip
    assert {f"passport-ocr {verb}" for verb in verbs} <= commands
    assert len(OPTIONS) > 50


@pytest.mark.parametrize(
    ("command", "parser", "action"),
    OPTIONS,
    ids=[f"{command} {name(action)}" for command, _, action in OPTIONS],
)
def test_every_option_has_help_stating_its_default(
    command: str, parser: argparse.ArgumentParser, action: argparse.Action
) -> None:
    assert action.help and action.help != argparse.SUPPRESS, f"{command} {name(action)}: no help"
    text = expanded_help(parser, action).lower()
    default = action.default
    if not takes_a_value(action) or action.required:
        return  # a positional, a flag (off unless given) or a required option
    if default in (None, [], argparse.SUPPRESS):
        # No value given means something (today, one worker per core, none): say what.
        assert "default" in text, f"{command} {name(action)}: say what happens without it"
        return
    assert "default" in text and any(form in text for form in default_texts(default)), (
        f"{command} {name(action)}: the help does not state the default {default!r}"
    )


def test_a_stated_default_is_checked_against_the_real_one() -> None:
    """The check itself can fail: a help naming another value than the default is caught."""
    parser = argparse.ArgumentParser()
    wrong = parser.add_argument("--arch", default="arm64", help="the CPU (default: x86_64)")
    right = parser.add_argument("--size", type=int, default=84_508, help="(default: %(default)s)")
    assert not any(form in expanded_help(parser, wrong).lower() for form in default_texts("arm64"))
    assert "84508" in expanded_help(parser, right)
