"""Line breaking: the breaks of each justified paragraph chosen over the whole paragraph
(:mod:`.knuth`), so that the printed page is as even as TeX's."""
