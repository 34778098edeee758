"""footcoach: a safe, explainable home exercise coach for heel pain and weak feet."""

__version__ = "0.1.0"
