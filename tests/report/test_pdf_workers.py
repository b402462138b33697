"""The PDF writer's worker processes: the same bytes as printed here, a dead worker's
document printed here instead, and the number of processes from SIA_REPORT_WORKERS."""

from __future__ import annotations

import os

import pytest

from sia.report.writers import pdf

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{0}</title></head>
<body><h1>{0}</h1><table><tr><th>Ward</th><td>12</td></tr></table></body></html>"""


@pytest.mark.slow
def test_a_worker_prints_the_same_bytes_as_this_process(tmp_path):
    pages = {f"page-{i}.pdf": PAGE.format(f"Profile {i}") for i in range(3)}
    here = [pdf.html_to_pdf(html, tmp_path / f"here-{name}") for name, html in pages.items()]
    with pdf.printers(2) as pool:
        futures = [pool.submit(pdf.html_to_pdf, h, tmp_path / n) for n, h in pages.items()]
        there = [f.result() for f in futures]
    assert [p.name for p in there] == list(pages)
    for a, b in zip(here, there, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_dead_workers_document_is_printed_here(tmp_path, caplog):
    target = tmp_path / "profile.pdf"
    with pdf.printers(1) as pool:
        future = pool.submit(os._exit, 1)  # the worker dies without a word
        assert pdf._result(future, PAGE.format("Dewsbury West"), target) == target
    assert target.read_bytes().startswith(b"%PDF")
    assert "printing profile.pdf here instead" in caplog.text


def test_no_worker_prints_in_this_process(tmp_path):
    with pdf.printers(0) as pool:
        future = pool.submit(pdf.html_to_pdf, PAGE.format("Batley East"), tmp_path / "a.pdf")
    assert future.done() and future.result().read_bytes().startswith(b"%PDF")
    with pdf.printers(0) as pool:
        failed = pool.submit(pdf.html_to_pdf, PAGE.format("x"), tmp_path / "no" / "a.pdf")
    with pytest.raises(FileNotFoundError):
        failed.result()


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv(pdf.WORKERS_VARIABLE, "3")
    assert pdf.workers() == 3
    monkeypatch.delenv(pdf.WORKERS_VARIABLE)
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    assert pdf.workers() == (len(usable) if usable else os.cpu_count())
    for bad, words in (("two", "not a whole number"), ("0", "at least 1")):
        monkeypatch.setenv(pdf.WORKERS_VARIABLE, bad)
        with pytest.raises(ValueError, match=words):
            pdf.workers()
