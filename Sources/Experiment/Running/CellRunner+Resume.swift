import Foundation
import NN

extension CellRunner {
    /// Restores `cell`'s saved training state into `model` and `optimizer` and returns where it
    /// stands; `.start` when there is none.
    ///
    /// A state that cannot be used (truncated, failing its checksum, of another model or
    /// optimizer, or not fitting `steps` steps per epoch) is ignored, not refused: the reason goes
    /// to log.txt and the progress output, and the cell trains from its start (NN changes nothing
    /// when it refuses a state). The result is the same either way, as training is deterministic;
    /// only the saved epochs' time is lost, and a run never stalls on a damaged file.
    func resumeTraining(_ model: Model, _ optimizer: Optimizer, _ cell: Cell, steps: Int) -> TrainingProgress {
        let path = folder.trainingStateFile(cell)
        guard let data = FileManager.default.contents(atPath: path) else { return .start }
        do {
            let state = try model.restoreTraining(data, file: path, optimizer: optimizer,
                                                  epochs: config.training.epochs, steps: steps)
            let epochs = config.training.epochs
            folder.log(state.epoch == epochs ? "cell \(cell.id) finished training earlier (training state); it is evaluated"
                       : "cell \(cell.id) continues from its training state at epoch \(state.epoch + 1), step \(state.step + 1)")
            progress(.trainingResumed(cell, epoch: state.epoch + 1, step: state.step + 1, epochs: epochs))
            return state
        } catch {
            folder.log("cell \(cell.id) ignores its training state and trains from the start: \(error)")
            progress(.trainingStateIgnored(cell, reason: "\(error)"))
            return .start
        }
    }

    /// Writes `cell`'s training state (atomically: a killed process leaves the previous one).
    func saveTraining(_ model: Model, _ optimizer: Optimizer, _ state: TrainingProgress, _ cell: Cell) throws {
        let path = folder.trainingStateFile(cell)
        try writeAtomically(model.trainingState(optimizer: optimizer, progress: state, file: path), to: path)
    }
}
