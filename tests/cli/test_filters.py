"""Study filters shared by `studies` and `query`: one set of checks for both."""

from __future__ import annotations

import pytest

from pacs_desktop.cli import main as cli_main

COMMANDS = (["studies"], ["query", "PACS"])


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "arguments",
    [
        ["--date", "20131301-"],
        ["--date", "20130230"],
        ["--date", "2013"],
        ["--limit", "0"],
        ["--limit", "-1"],
        ["--modality", "C-T"],
        ["--modality", "CT;MR"],
    ],
)
def test_invalid_filter_is_usage_error(
    command: list[str], arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main.run([*command, *arguments])

    assert exited.value.code == 2
    assert arguments[0] in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_iso_dates_become_dicom_range(command: list[str]) -> None:
    parser = cli_main.build_parser()

    args = parser.parse_args([*command, "--date", "2013-03-08-2013-03-10"])

    assert args.date == "20130308-20130310"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [("ct", "CT"), ("CT,MR", "CT\\MR"), ("ct mr", "CT\\MR"), ("CT\\mr", "CT\\MR")],
)
def test_modalities_normalised(command: list[str], value: str, expected: str) -> None:
    parser = cli_main.build_parser()

    args = parser.parse_args([*command, "--modality", value])

    assert args.modality == expected


def test_bad_modality_message_names_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli_main.run(["studies", "--modality", "CT, M-R"])

    assert "invalid modality 'M-R'" in capsys.readouterr().err
