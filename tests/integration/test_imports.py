from pathlib import Path

from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import importer as bodies_importer
from orgburo.census import service as census
from orgburo.census import tallies
from orgburo.generate import service as generator
from orgburo.members import importer as members_importer
from tests.factories import tally_rows

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_tallies_of_an_import_in_many_batches_equal_a_recount(session: Session) -> None:
    bodies_importer.import_file(session, IMPORTS / "bodies.csv", actor=SYSTEM)
    members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM, batch_rows=1)
    loaded = tally_rows(session)
    tallies.rebuild(session)
    assert loaded == tally_rows(session)
    assert census.census(session, body_code="CC", by=["status"], actor=SYSTEM).total == 4


def test_a_generated_organization_is_counted_whole(session: Session) -> None:
    generator.generate(session, members=2500, bodies=40, seed=3, actor=SYSTEM)
    assert census.census(session, body_code="ROOT", by=["sex"], actor=SYSTEM).total == 2500
    loaded = tally_rows(session)
    tallies.rebuild(session)
    assert loaded == tally_rows(session)
