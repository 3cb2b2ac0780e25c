/// Refuses data that a run cannot learn from or be tested on, before any training starts: an
/// accuracy over no test images is 0/0, and one class leaves nothing to tell apart.
/// `testCount` and `trainCount` are the images that decoded (or, at plan time, were found).
func checkSplits(classes: Int, trainCount: Int, testCount: Int, source: String, training: Bool = true) throws {
    if training && classes < 2 {
        throw ExperimentError.dataset("\(source) holds \(classes) class; a classifier needs at least two class folders.")
    }
    if training && trainCount == 0 {
        throw ExperimentError.dataset("\(source) has no readable training image; see `reslab inspect \(source)` for the skipped files.")
    }
    if testCount == 0 {
        throw ExperimentError.dataset("\(source) has no readable test image, so no accuracy can be measured; add a val/ split, raise dataset.test_fraction, or add images (see `reslab inspect \(source)`).")
    }
}
