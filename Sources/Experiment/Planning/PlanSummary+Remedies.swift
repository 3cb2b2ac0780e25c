/// The work `remedies:` add to each trained cell, for `--dry-run`'s estimate. Per test size r of
/// `at`, with f(r) the model's forward FLOPs per image at r, T the training images, E the test
/// images and t the training FLOPs per image at the training size (scaled by f(r)/f(train) at r):
///
///     resize     E · f(train)                  the test images resized to the training size
///     rounding   E · f(r)
///     bn-recal   min(images, T) · f(r) + E · f(r)
///     fixres     epochs · images · t(r) + E · f(r)      images = T when 0
///     multires,  epochs · T · t + the cell's evaluations (a retraining, once per cell; its sizes'
///     blurpool   cost is taken as the training size's)
///
/// Sizes the model cannot run at cost nothing.
extension RemediesConfig {
    /// (training-mode FLOPs, forward FLOPs) of the remedies on one cell.
    func plannedFLOPs(_ model: Model, training: TrainingConfig, trainImages: Int, testImages: Int,
                      cellEvaluationFLOPs: Double) -> (training: Double, forward: Double) {
        let trainSize = model.forwardFLOPs(at: model.info.trainResolution) ?? 0
        var trainingFLOPs = 0.0, forward = 0.0
        let train = Double(trainImages), test = Double(testImages)
        for kind in kinds where kind.retrains {
            trainingFLOPs += Double(training.epochs) * train * model.trainingFLOPs
            forward += cellEvaluationFLOPs
        }
        for r in at {
            let f = model.forwardFLOPs(at: r) ?? 0
            let t = trainSize > 0 ? model.trainingFLOPs * f / trainSize : 0
            for kind in kinds {
                switch kind {
                case .resize: forward += test * trainSize
                case .rounding: forward += test * f
                case .bnRecal: forward += (Double(min(bnRecal.images, trainImages)) + test) * f
                case .fixres:
                    let images = fixres.images == 0 ? trainImages : min(fixres.images, trainImages)
                    trainingFLOPs += Double(fixres.epochs * images) * t
                    forward += test * f
                case .multires, .blurpool: break
                }
            }
        }
        return (trainingFLOPs, forward)
    }
}
