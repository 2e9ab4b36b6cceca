"""The action plan (issue 14): axes → actions with porteur, partners, échéance; engagements."""
