"""placeholder"""

from sia.report.writers import Writer

WRITER = Writer(name="docx", describe="", write=lambda context, out: [])
