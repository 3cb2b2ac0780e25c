import Kernels

extension Network {
    /// One optimisation step on a batch: forward, softmax cross-entropy (with `labelSmoothing`),
    /// backward, then `optimizer.update`. Returns the batch's mean loss. After the first call at a
    /// given size it allocates no tensor memory (activations, gradients and scratch live in the
    /// workspace, packed and transformed weights in the packing pool); what remains is small
    /// bookkeeping, 120–150 mallocs per step of the reference CNN on 1 or 2 threads (`perf`
    /// probes on malloc and on this function, counted from one step's start to the next: loops'
    /// closure contexts, tap-offset arrays; ~4,000 before the GEMM stopped allocating its closure).
    public func trainStep(inputs: Tensor, labels: [Int], optimizer: Optimizer, labelSmoothing: Float = 0) throws -> Float {
        let loss = try computeGradients(inputs: inputs, labels: labels, labelSmoothing: labelSmoothing)
        optimizer.update(arena)
        return loss
    }

    /// The loss of a batch in training mode, with every parameter gradient left in
    /// `parameterGradients` (no update). Batch norm uses (and updates) batch statistics and
    /// dropout draws a mask, as in `trainStep`.
    @discardableResult
    public func computeGradients(inputs: Tensor, labels: [Int], labelSmoothing: Float = 0) throws -> Float {
        let (batch, height, width) = try checkInputs(inputs)
        guard labels.count == batch else {
            throw NNError.badTensor(reason: "The batch has \(batch) images but \(labels.count) labels.")
        }
        guard (0..<1).contains(labelSmoothing) else {
            throw NNError.badTensor(reason: "Label smoothing must be in [0, 1), not \(labelSmoothing).")
        }
        let ws = try trainingWorkspace(batch: batch, height: height, width: width)
        for (n, label) in labels.enumerated() {
            guard (0..<classes).contains(label) else { throw NNError.badLabel(index: n, label: label, classes: classes) }
            ws.labels[n] = Int32(label)
        }
        return inputs.values.withUnsafeBufferPointer { x in
            forward(x.baseAddress!, batch: batch, workspace: ws)
            let loss = softmaxCrossEntropy(logits: ws.logits, labels: ws.labels, batch: batch, classes: classes,
                                           smoothing: labelSmoothing, dLogits: ws.dLogits)
            backward(x.baseAddress!, batch: batch, workspace: ws)
            return loss
        }
    }

    /// Logits (N, classes) for images of any size the model accepts, in evaluation mode
    /// (batch norm uses running statistics, dropout is off).
    ///
    /// The batch runs in chunks of the images `evaluationChunking` says, depth-first (every layer
    /// on one chunk, then the next chunk), so activations stay in cache; the threads take chunks
    /// one at a time, dynamically (`Parallel.forChunks`; chunk sizes `predictChunks`), each
    /// thread with its own workspace, or, for a model with large weights, run every layer of each
    /// chunk together — and where such a model can be split (`Network.evaluationSplit`), the nodes
    /// before its large weights run on smaller chunks, each thread its own, gathered into the
    /// grown chunk for the rest. An image's logits do not depend on the chunking or the threads.
    public func predict(_ inputs: Tensor) throws -> Tensor {
        let (batch, height, width) = try checkInputs(inputs)
        let team = try evaluationTeam(height: height, width: width), workspaces = team.workspaces
        let chunks = team.layerParallel ? Network.evenChunks(batch: batch, size: workspaces[0].capacity)
            : Network.predictChunks(batch: batch, capacity: workspaces[0].capacity, workers: Parallel.workers(for: batch, limit: workspaces.count))
        let imageSize = height * width * inputChannels
        var logits = Tensor(zeros: [batch, classes])
        let prepared = team.preparedWeights(UnsafeBufferPointer(start: arena.values, count: arena.count)) {
            evaluationWeights(workspaces[0].plan, schedule: workspaces[0].schedule)
        }
        inputs.values.withUnsafeBufferPointer { x in
            logits.values.withUnsafeMutableBufferPointer { z in
                let (x, z) = (x.baseAddress!, z.baseAddress!)
                if let split = team.split {
                    let cut = split.cut, tail = workspaces[0], cutFloats = tail.plans[cut].output.count
                    for chunk in chunks {
                        let head = Network.predictChunks(batch: chunk.count, capacity: split.head[0].capacity,
                                                         workers: Parallel.workers(for: chunk.count, limit: split.head.count))
                        Parallel.forChunks(head.count, maxWorkers: split.head.count) { worker, index in
                            let ws = split.head[worker], images = head[index]
                            forward(x + (chunk.lowerBound + images.lowerBound) * imageSize, batch: images.count, workspace: ws,
                                    prepared: prepared, nodes: 0..<cut + 1)
                            (tail.outputs[cut] + images.lowerBound * cutFloats).update(from: ws.outputs[cut], count: images.count * cutFloats)
                        }
                        forward(x, batch: chunk.count, workspace: tail, prepared: prepared, nodes: cut + 1..<tail.plan.nodes.count)
                        (z + chunk.lowerBound * classes).update(from: tail.logits, count: chunk.count * classes)
                    }
                    return
                }
                // Chunk `index` is images chunks[index], run by whichever worker takes it next, in
                // that worker's workspace.
                Parallel.forChunks(chunks.count, maxWorkers: workspaces.count) { worker, index in
                    let ws = workspaces[worker]
                    let first = chunks[index].lowerBound, count = chunks[index].count
                    forward(x + first * imageSize, batch: count, workspace: ws, prepared: prepared)
                    (z + first * classes).update(from: ws.logits, count: count * classes)
                }
            }
        }
        return logits
    }

    /// Images per chunk of a `predict` of `batch` images on `workers` workers: the workspace's
    /// `capacity`, but with two or more workers small enough to give each worker at least
    /// `Scratch.chunksPerWorker` chunks, so that a worker delayed by another process leaves the
    /// other little to wait for (at 16 px a batch of 256 was only 8 chunks of 32 images).
    static func predictChunk(batch: Int, capacity: Int, workers: Int) -> Int {
        guard workers > 1 else { return capacity }
        let chunks = workers * Scratch.chunksPerWorker
        return max(1, min(capacity, (batch + chunks - 1) / chunks))
    }

    /// The image ranges `predict` cuts a batch into, in order: with one worker, chunks of
    /// `capacity`; with more, guided self-scheduling — each chunk ⌈R / (2·workers)⌉ of the R
    /// images left, at most `predictChunk` and at least a quarter of it — so the chunks shrink
    /// towards the end and the workers finish close together even when their CPUs run at
    /// different speeds (a worker that takes the last chunk leaves the other at most that
    /// chunk's time to wait). At 16 px, batch 256, two workers: 13 chunks of 16 images, then
    /// 12, 9, 7, 5, 4, 4, 4, 3; paired in one process against chunks of 16 throughout, +1.1 to
    /// +2.7% img/s at 16 px, +0.8% at 32 px (docs/kernels.md).
    static func predictChunks(batch: Int, capacity: Int, workers: Int) -> [Range<Int>] {
        let largest = predictChunk(batch: batch, capacity: capacity, workers: workers)
        guard workers > 1 else { return evenChunks(batch: batch, size: largest) }
        let smallest = max(1, largest / 4)
        var chunks: [Range<Int>] = [], first = 0
        while first < batch {
            let guided = (batch - first + 2 * workers - 1) / (2 * workers)
            let size = min(batch - first, max(smallest, min(largest, guided)))
            chunks.append(first..<first + size)
            first += size
        }
        return chunks
    }

    /// 0..<batch in consecutive ranges of `size` images (the last one shorter).
    static func evenChunks(batch: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: batch, by: size).map { $0..<min(batch, $0 + size) }
    }

    /// Every convolution's and dense layer's weights prepared for evaluation (`EvaluationWeights`:
    /// packed or transformed, with a following batch norm folded in where `schedule` folds it; a
    /// dense layer's packed as `gemm` would pack them at each chunk: MobileNetV2's classifier
    /// repacked 1.3 M weights per chunk of 6 images), indexed by
    /// node: made once for all the chunks of a `predict` instead of once per chunk (ResNet-18 at
    /// 224 px ran one image per chunk, and packed its 45 MB of convolution weights 32 times per
    /// batch of 32), and kept by the size's `EvaluationTeam` for the next `predict` while the
    /// parameters stay the same (the Winograd weight transform was 2.5% of a `bench train` at
    /// 16 px, one thread's work while the other waited).
    func evaluationWeights(_ plan: ModelPlan, schedule: ExecutionSchedule) -> [EvaluationWeights?] {
        var foldedBy = [Int?](repeating: nil, count: plan.nodes.count)
        for (k, node) in plan.nodes.enumerated() where schedule.foldedBatchNorm[k] { foldedBy[node.inputs[0]] = k }
        return plan.nodes.enumerated().map { j, node in
            if case .dense = node.layer {
                return EvaluationWeights(dense: Dense(inputs: node.layerPlan.input.channels, units: node.layerPlan.output.channels, batch: 1),
                                         weight: arena.values + parameterOffsets[j])
            }
            guard node.layer.isConvolution else { return nil }
            return EvaluationWeights(
                conv: Convolution(plan: node.layerPlan, batch: 1), weight: arena.values + parameterOffsets[j],
                count: biasOffsets[j], bias: arena.values + parameterOffsets[j] + biasOffsets[j],
                batchNorm: foldedBy[j].map { UnsafePointer(arena.values + parameterOffsets[$0]) })
        }
    }

    /// The mean softmax cross-entropy of a batch in evaluation mode.
    public func loss(inputs: Tensor, labels: [Int], labelSmoothing: Float = 0) throws -> Float {
        let logits = try predict(inputs)
        guard labels.count == logits.shape[0] else {
            throw NNError.badTensor(reason: "The batch has \(logits.shape[0]) images but \(labels.count) labels.")
        }
        let codes = try labels.enumerated().map { n, label in
            guard (0..<classes).contains(label) else { throw NNError.badLabel(index: n, label: label, classes: classes) }
            return Int32(label)
        }
        return logits.values.withUnsafeBufferPointer { z in
            codes.withUnsafeBufferPointer { y in
                softmaxCrossEntropy(logits: z.baseAddress!, labels: y.baseAddress!, batch: labels.count, classes: classes,
                                    smoothing: labelSmoothing, dLogits: nil)
            }
        }
    }
}
