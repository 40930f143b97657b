#!/usr/bin/env python3
"""Run the study notebook headless on the sample corpus (or on a project).

Steps:

1. build voces (`cargo build --release`, or `--profile dev`), unless
   `--voces BIN` names a binary;
2. make a temporary project from examples/smo-sample (init, ingest with
   participants.xlsx, `voces code` with codebooks/smo-study.toml), unless
   `--project DIR` names a coded project;
3. export `voces excerpts --format jsonl`, `voces themes --json` and
   `voces themes --by ATTR [--unit interview] --json` into the data folder;
4. execute smo-study.ipynb with nbclient (a time limit per cell, any cell
   error fails the run) and write the executed notebook, its PNG charts and
   CSV tables to the output folder.

Exit codes: 0 done, 1 a step failed (the message says which), 2 bad usage.
Needs the packages of notebooks/requirements.txt (see notebooks/README.md).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOK = HERE / "smo-study.ipynb"
SAMPLE = ROOT / "examples" / "smo-sample"
CODEBOOK = ROOT / "codebooks" / "smo-study.toml"
# Colours in the kernel's tracebacks.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class StepError(Exception):
    """A step failed; the message names it."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Export a coded voces project and run notebooks/smo-study.ipynb on it, headless.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=HERE / "out",
        help="folder for the executed notebook, PNG charts and CSV tables (default: notebooks/out)",
    )
    p.add_argument(
        "--data",
        type=Path,
        default=HERE / "data",
        help="folder for the voces exports the notebook reads (default: notebooks/data)",
    )
    p.add_argument("--voces", type=Path, help="voces binary to use (default: build it with cargo)")
    p.add_argument(
        "--profile",
        choices=["release", "dev"],
        default="release",
        help="cargo profile to build voces with (default: release)",
    )
    p.add_argument(
        "--project",
        type=Path,
        help="a coded voces project to export (default: a temporary one made from examples/smo-sample)",
    )
    p.add_argument(
        "--codebook",
        type=Path,
        default=None,
        help="codebook for `voces code` and the exports (default: codebooks/smo-study.toml "
        "for the sample; the project's own for --project)",
    )
    p.add_argument("--group", default="group", help="attribute holding the stakeholder group (default: group)")
    p.add_argument("--country", default="country", help="attribute holding the country (default: country)")
    p.add_argument(
        "--coder",
        default="auto",
        help="whose codings the tables count: `auto` (the rules) or a manual coder (default: auto)",
    )
    p.add_argument("--timeout", type=int, default=600, help="seconds each notebook cell may take (default: 600)")
    p.add_argument(
        "--keep-project", action="store_true", help="keep the temporary sample project and print where it is"
    )
    return p.parse_args(argv)


def run(cmd: list[str | Path], *, stdout=None, cwd: Path | None = None) -> None:
    """Run one command; a non-zero exit is a StepError naming it."""
    shown = " ".join(str(c) for c in cmd)
    print(f"$ {shown}", file=sys.stderr, flush=True)
    try:
        result = subprocess.run([str(c) for c in cmd], stdout=stdout, cwd=cwd, check=False)
    except OSError as e:
        raise StepError(f"`{shown}`: {e.strerror}") from e
    if result.returncode != 0:
        raise StepError(f"`{shown}` exited with {result.returncode}")


def build_voces(profile: str) -> Path:
    """Build the voces binary with cargo and return its path."""
    run(["cargo", "build", "--locked", "--bin", "voces", "--profile", profile], cwd=ROOT)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    binary = target / ("debug" if profile == "dev" else profile) / "voces"
    if not binary.is_file():
        raise StepError(f"{binary}: cargo built no voces binary there")
    return binary


def make_sample_project(voces: Path, folder: Path, codebook: Path) -> None:
    """A coded project of the sample corpus in `folder`."""
    run([voces, "--quiet", "init", folder])
    run(
        [voces, "--quiet", "--project", folder, "ingest", SAMPLE, "--metadata", SAMPLE / "participants.xlsx"],
        stdout=subprocess.DEVNULL,
    )
    run([voces, "--quiet", "--project", folder, "code", "--codebook", codebook])


def export(voces: Path, project: Path, data: Path, codebook: Path | None, coder: str, attrs: list[str]) -> None:
    """Write the files the notebook reads into `data`."""
    data.mkdir(parents=True, exist_ok=True)
    base = [voces, "--quiet", "--project", project]
    with_codebook = ["--codebook", codebook] if codebook else []

    def to_file(name: str, args: list[str | Path]) -> None:
        # Written beside the target, then renamed: a failed export never
        # leaves a half file the notebook would read.
        target = data / name
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as f:
                run(base + args + with_codebook, stdout=f)
        except StepError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)

    to_file("excerpts.jsonl", ["excerpts", "--format", "jsonl"])
    themes = ["themes", "--coder", coder, "--json"]
    to_file("themes.jsonl", themes)
    for attr in attrs:
        to_file(f"themes-by-{attr}.jsonl", [*themes, "--by", attr])
        to_file(f"themes-by-{attr}-interviews.jsonl", [*themes, "--by", attr, "--unit", "interview"])


def execute_notebook(data: Path, out: Path, timeout: int, group: str, country: str, coder: str) -> list[Path]:
    """Execute the notebook with nbclient; return the PNG charts it wrote."""
    try:
        import nbformat
        from jupyter_client.manager import KernelManager
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError
    except ImportError as e:
        raise StepError(
            f"{e.name}: not installed\nhint: pip install -r {HERE / 'requirements.txt'} (see notebooks/README.md)"
        ) from e

    out.mkdir(parents=True, exist_ok=True)
    # The kernel inherits this process's environment.
    os.environ.update(
        {
            "VOCES_NB_DATA": str(data.resolve()),
            "VOCES_NB_OUT": str(out.resolve()),
            "VOCES_NB_GROUP": group,
            "VOCES_NB_COUNTRY": country,
            "VOCES_NB_CODER": coder,
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
    )
    nb = nbformat.read(NOTEBOOK, as_version=4)
    stale = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    if stale:
        raise StepError(
            f"{NOTEBOOK}: cells {stale} were committed with outputs\n"
            "hint: clear them (Jupyter: Edit > Clear Outputs of All Cells) and save; "
            "the executed copy belongs in the output folder"
        )
    started, started_wall = time.monotonic(), time.time()
    # The kernel talks over Unix sockets in a private folder, not TCP ports.
    with tempfile.TemporaryDirectory(prefix="voces-kernel-") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            allow_errors=False,
            resources={"metadata": {"path": str(HERE)}},
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as e:
            failed = out / NOTEBOOK.name
            nbformat.write(nb, failed)
            message = ANSI_ESCAPE.sub("", str(e))
            raise StepError(f"{NOTEBOOK.name}: a cell failed (partial run in {failed})\n{message}") from e
        finally:
            if km.has_kernel:
                km.shutdown_kernel()
    executed = out / NOTEBOOK.name
    nbformat.write(nb, executed)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"executed {cells} code cells of {NOTEBOOK.name} in {time.monotonic() - started:.1f} s: {executed}")

    expected = ["themes-overview.png", f"themes-by-{group}.png", f"themes-by-{country}.png", "quotes-per-theme.png"]
    charts = [out / name for name in expected]
    # A chart left from an earlier run does not count.
    missing = [
        c.name for c in charts if not c.is_file() or c.stat().st_size == 0 or c.stat().st_mtime < started_wall - 1
    ]
    if missing:
        raise StepError(f"{out}: the notebook wrote no {', '.join(missing)}")
    return charts


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.project and not (args.project / "voces.toml").is_file():
        print(f"error: {args.project}: not a voces project (no voces.toml)", file=sys.stderr)
        return 2
    if args.voces and not args.voces.is_file():
        print(f"error: {args.voces}: no such binary", file=sys.stderr)
        return 2
    try:
        voces = args.voces.resolve() if args.voces else build_voces(args.profile)
        attrs = list(dict.fromkeys([args.group, args.country]))
        if args.project:
            export(voces, args.project, args.data, args.codebook, args.coder, attrs)
        else:
            codebook = args.codebook or CODEBOOK
            folder = Path(tempfile.mkdtemp(prefix="voces-notebook-"))
            try:
                make_sample_project(voces, folder / "smo-sample", codebook)
                export(voces, folder / "smo-sample", args.data, codebook, args.coder, attrs)
            finally:
                if args.keep_project:
                    print(f"sample project kept in {folder / 'smo-sample'}", file=sys.stderr)
                else:
                    shutil.rmtree(folder, ignore_errors=True)
        charts = execute_notebook(args.data, args.out, args.timeout, args.group, args.country, args.coder)
    except StepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for chart in charts:
        print(f"chart: {chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
