import Foundation
import SeededRandom

/// What a training state adds to a checkpoint's header: everything besides the weights that the
/// next training step reads, so that training restored from it continues bit for bit as if it
/// had never stopped.
struct TrainingSection: Codable, Equatable {
    var optimizer: OptimizerKind
    var schedule: LearningRateSchedule
    var weightDecay: Float
    /// Updates taken: the schedule's position and AdamW's bias-correction exponent t.
    var step: Int
    /// Moment vectors stored after the weights: 0 before the first update, else the optimizer's
    /// `momentVectors` (SGD 1, AdamW 2; `Optimizer.momentData`).
    var momentVectors: Int
    /// The dropout generator's SplitMix64 state as 16 hex digits (JSON numbers keep only 53 bits).
    var dropoutState: String
    /// The caller's own record of where training stands (epoch, step, losses), as JSON text.
    var progress: String
}

extension Network {
    /// A resumable training state in the checkpoint format (see `CheckpointHeader`): the weights
    /// and running statistics, `optimizer`'s settings, step and moments, the dropout generator,
    /// and `progress`. `file` is only named in errors.
    public func encodeTrainingState<Progress: Encodable>(metadata: CheckpointMetadata, optimizer: Optimizer,
                                                         progress: Progress, file: String) throws -> Data {
        let moments = optimizer.momentData(count: arena.count)
        let section = TrainingSection(
            optimizer: optimizer.kind, schedule: optimizer.schedule, weightDecay: optimizer.weightDecay, step: optimizer.step,
            momentVectors: moments == nil ? 0 : optimizer.momentVectors, dropoutState: String(dropoutGenerator.state, radix: 16),
            progress: String(decoding: try JSONEncoder().encode(progress), as: UTF8.self))
        return try checkpointData(metadata: metadata, file: file, training: section, moments: moments)
    }

    /// Restores a state written by `encodeTrainingState` into this network and `optimizer` and
    /// returns its progress record. Refuses, changing nothing, a damaged file (`readCheckpoint`),
    /// a plain checkpoint, another architecture or training size, other optimizer settings, or a
    /// progress record for which `objection` returns a reason: `NNError.badCheckpoint` naming `file`.
    public func restoreTrainingState<Progress: Decodable>(_ data: Data, file: String, optimizer: Optimizer, as _: Progress.Type,
                                                          objection: (Progress) -> String? = { _ in nil }) throws -> Progress {
        func refuse(_ reason: String) -> NNError { .badCheckpoint(file: file, reason: reason) }
        let (header, payload) = try readCheckpoint(data, file: file)
        guard let training = header.training else {
            throw refuse("it is a checkpoint without training state (optimizer, progress), so training cannot continue from it")
        }
        let stored = try header.graph(file: file)
        guard stored == graph, header.inputChannels == inputChannels,
              header.trainingHeight == trainingHeight, header.trainingWidth == trainingWidth else {
            throw refuse("it holds the model [\(stored.summary)] at \(header.trainingHeight)×\(header.trainingWidth) but [\(graph.summary)] at \(trainingHeight)×\(trainingWidth) is being trained")
        }
        guard training.optimizer == optimizer.kind, training.schedule == optimizer.schedule,
              training.weightDecay == optimizer.weightDecay else {
            throw refuse("it was saved with optimizer \(training.optimizer), schedule \(training.schedule), weight decay \(training.weightDecay), not the one being trained with")
        }
        guard training.momentVectors == 0 || training.momentVectors == optimizer.momentVectors, training.step >= 0,
              let dropoutState = UInt64(training.dropoutState, radix: 16) else {
            throw refuse("its training section is not valid (moment vectors \(training.momentVectors), step \(training.step), dropout state \(training.dropoutState)); the file is corrupt")
        }
        try checkLayout(header, file: file)
        let progress: Progress
        do { progress = try JSONDecoder().decode(Progress.self, from: Data(training.progress.utf8)) } catch {
            throw refuse("its progress record is not valid (\(error)); the file is corrupt or from an incompatible reslab")
        }
        if let reason = objection(progress) { throw refuse(reason) }
        copyFloats(payload, from: 0, count: arena.count, to: arena.values)
        optimizer.restore(step: training.step, moments: training.momentVectors == 0 ? nil : payload,
                          offset: arena.count, count: arena.count)
        dropoutGenerator = SplitMix64(seed: dropoutState)
        return progress
    }
}
