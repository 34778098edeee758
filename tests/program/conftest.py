from __future__ import annotations

import pytest

from footcoach.adapters.protocol_files import FileProtocolSource
from footcoach.domain.protocol import Protocols


@pytest.fixture(scope="session")
def protocols(library) -> Protocols:
    return FileProtocolSource().load(library)
