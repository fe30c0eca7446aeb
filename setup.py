"""Packaging: everything is in pyproject.toml, except that a wheel also carries the bundled dataset and the
browser assets and the world basemap. They stay at the top of the repository (data/, assets/, world/) and are copied into the built
package as layers/bundled/data and layers/bundled/assets, where layers/io/bundled.py finds them."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads data/ and assets/ from the checkout
        for name in ("data", "assets", "world"):
            target = Path(self.build_lib) / "layers" / "bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundledData})
