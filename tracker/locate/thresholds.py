"""Every threshold and cost of locating, named once."""

from __future__ import annotations

MARGIN = 0.05  # closeness of the best two scores under which the locator must decide


MIN_SCORE = 0.5  # below this the best candidate is not trusted


MIN_SIM_WHEN_TIED = 0.5  # when the locator fits several places equally, the text must decide


# When the locator fits several places equally, the new text may choose one only when it is decisive:
# like the chosen place (at least DECISIVE_SIM) and clearly more like it than like any other.
DECISIVE_SIM = 0.6


DECISIVE_MARGIN = 0.15


# What the locator's misfits cost (subtracted from a fit of 1).
COST_DRIFT = 0.1  # the target is one page off the page named


COST_ORDINAL = 0.25  # the target is not the Nth element named


COST_HEADING_PART = 0.15  # a named heading level is not in the target's path


COST_DEEPER = 0.1  # the target sits under a sub-heading of the one named


COST_TERM = 0.5  # scaled by how unlike the term named the unit's term is
