"""The numpy engine: confident learning and its sibling tasks (numpy and scipy, never pandas)."""
