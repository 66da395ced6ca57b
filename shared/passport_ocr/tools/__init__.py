"""The tools around the runtime library: never shipped in a function bundle.

The command line (`cli`), the batch runner behind `passport-ocr process` (`batch`), the
embedded offline MRZ engine and its provider (`ocr`), the bundle builder, the local demo,
local invocation of the handlers, the synthetic specimen generator and the sample trigger
events. Everything else under `passport_ocr` is the runtime library the functions import;
it never imports from here (a test checks), so a bundle leaves this package out whole.
"""
