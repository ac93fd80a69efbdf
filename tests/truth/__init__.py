"""Truth harness: runs fixture projects with the real zenml package."""
