"""placeholder"""

from sia.report.writers import Writer

WRITER = Writer(name="pdf", describe="", write=lambda context, out: [])
