"""One place that reads the environment. Every variable is listed in .env.example."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is optional; real deployments set the environment.
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))
