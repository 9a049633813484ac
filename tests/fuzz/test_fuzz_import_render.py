"""Fuzz import and render with mutated real files: no crash, no hang, a reason.

Each example mutates one real file (byte flips, flips inside the pixel data,
truncation, corrupt length fields, swapped tags, inserted nested sequences),
imports it into a fresh archive and renders it in the decoding child process
with a 2 s limit. The examples are derived from a fixed seed, so every run
tries the same files. `python -m tests.fuzz.long_run` runs the same loop for
as long as asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import Harness
from tests.fuzz.mutations import (
    SEED_FILES,
    Mutation,
    SeedFile,
    apply,
    load_seed,
    mutation_strategy,
    seed_paths,
)

# 300 examples took 6 s on a 2-core machine; this many take 40-60 s.
EXAMPLES = 2000


@pytest.fixture(scope="module")
def seeds(shared_data: Path) -> list[SeedFile]:
    found = [load_seed(path) for path in seed_paths(shared_data)]
    assert len(found) == len(SEED_FILES), "a seed file is missing from shared data"
    return found


@pytest.fixture(scope="module")
def harness(
    tmp_path_factory: pytest.TempPathFactory, seeds: list[SeedFile]
) -> Iterator[Harness]:
    with Harness(tmp_path_factory.mktemp("fuzz")) as running:
        running.start(seeds[0].path)
        yield running


@pytest.mark.slow
@pytest.mark.shared_data
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    seed_number=st.integers(0, len(SEED_FILES) - 1),
    mutations=st.lists(mutation_strategy(), min_size=1, max_size=4),
)
def test_mutated_files_imported_or_rejected(
    harness: Harness,
    seeds: list[SeedFile],
    seed_number: int,
    mutations: list[Mutation],
) -> None:
    seed = seeds[seed_number]

    result = harness.run(apply(seed, mutations))

    assert result.problems == [], f"{seed.path.name} with {mutations}"


@pytest.mark.shared_data
def test_unmutated_seeds_render(harness: Harness, seeds: list[SeedFile]) -> None:
    # Without this, a seed that no longer imports would leave the fuzz run
    # exercising only the rejection path.
    outcomes = {seed.path.name: harness.run(seed.data) for seed in seeds}

    rendered = {name: result.render for name, result in outcomes.items()}

    assert rendered == dict.fromkeys(outcomes, "image")
