import NN

extension Importer {
    /// Imports one node: binds its outputs to features, constants or shape values.
    mutating func importNode(_ context: Context, decoder: TensorDecoder) throws {
        let a = context.attributes
        let result: ImportedValue
        switch context.op {
        case "Conv": result = .feature(try convolution(context))
        case "BatchNormalization": result = .feature(try batchNorm(context))
        case "MaxPool", "AveragePool": result = .feature(try pool(context))
        case "GlobalAveragePool": result = .feature(try emit(output(context), .globalAvgPool, [feature(0, context)], context))
        case "GlobalMaxPool": result = .feature(try emit(output(context), .globalMaxPool, [feature(0, context)], context))
        case "ReduceMean": result = .feature(try reduceMean(context))
        case "Relu": result = .feature(try emit(output(context), .relu, [feature(0, context)], context))
        case "LeakyRelu":
            result = try activation(.leakyReLU(slope: a.float("alpha", default: 0.01)), context)
        case "Sigmoid": result = try activation(.sigmoid, context)
        case "Tanh": result = try activation(.tanh, context)
        case "HardSwish": result = try activation(.hardSwish, context)
        case "HardSigmoid":
            result = try activation(.hardSigmoid(alpha: a.float("alpha", default: 0.2), beta: a.float("beta", default: 0.5)), context)
        case "Clip": result = try clip(context)
        case "Add", "Sub", "Mul", "Div": result = try binary(context)
        case "Concat": result = try concat(context)
        case "Softmax": result = .feature(try softmax(context))
        case "Gemm": result = .feature(try gemm(context))
        case "MatMul": result = .feature(try matMul(context))
        case "Flatten": result = try flatten(context)
        case "Reshape": result = try reshape(context)
        case "Transpose": result = try transpose(context)
        case "Squeeze", "Unsqueeze": result = try squeezeOrUnsqueeze(context)
        case "Shape": result = try shape(context)
        case "Gather": result = try gather(context)
        case "Pad": result = .feature(try pad(context))
        case "Identity": result = try value(context.input(0) ?? "", context)
        case "Dropout": result = try dropout(context)
        case "Constant": result = .constant(try constantNode(context, decoder: decoder))
        default: throw ONNXError.unsupportedOperator(op: context.op, node: context.name)
        }
        try bind(result, context)
    }

    /// The engine node's name for a node: its first output's name.
    func output(_ context: Context) -> String { context.proto.output.first ?? context.name }

    /// Binds the node's first output; further outputs (MaxPool's indices, BatchNormalization's
    /// training statistics, Dropout's mask) are left unbound, so a node reading them is refused.
    private mutating func bind(_ value: ImportedValue, _ context: Context) throws {
        guard let name = context.proto.output.first, !name.isEmpty else {
            throw context.refuse("it has no output")
        }
        values[name] = value
    }

    /// An elementwise activation of a feature, or of a constant (refused: nothing to fold to).
    private mutating func activation(_ function: Activation, _ context: Context) throws -> ImportedValue {
        .feature(try emit(output(context), .activation(function), [feature(0, context)], context))
    }

    /// Clip(x, min, max) with the bounds as inputs (opset ≥ 11): ReLU when only min = 0 is
    /// given, else `clip(lower, upper)` with both bounds finite.
    private mutating func clip(_ context: Context) throws -> ImportedValue {
        let x = try feature(0, context)
        func bound(_ i: Int) throws -> Float? {
            guard let tensor = try constant(i, context) else { return nil }
            guard tensor.count == 1 else { throw context.refuse("its bound (input \(i + 1)) must be a single number") }
            return tensor.floats[0]
        }
        let lower = try bound(1), upper = try bound(2)
        if lower == 0 && upper == nil { return .feature(try emit(output(context), .relu, [x], context)) }
        guard let lower, let upper, lower.isFinite, upper.isFinite, lower < upper else {
            throw context.refuse("reslab imports Clip with both bounds given and finite (lower < upper), or with min 0 alone (ReLU)")
        }
        return .feature(try emit(output(context), .activation(.clip(lower: lower, upper: upper)), [x], context))
    }

    /// Dropout is the identity at inference; a constant `training_mode` of true is refused.
    private func dropout(_ context: Context) throws -> ImportedValue {
        if let training = try constant(2, context), training.floats.first.map({ $0 != 0 }) == true {
            throw context.refuse("its training_mode input is true; export the model in evaluation mode (model.eval())")
        }
        return try value(context.input(0) ?? "", context)
    }

    /// A `Constant` node's value (tensor, float(s) or int(s) attribute).
    private func constantNode(_ context: Context, decoder: TensorDecoder) throws -> ConstantTensor {
        let a = context.attributes
        if let tensor = a.tensor("value") { return try decoder.decode(tensor, name: output(context)) }
        if a.has("value_float") { return ConstantTensor(dims: [], values: .floats([a.float("value_float", default: 0)])) }
        if let floats = a.floats("value_floats"), a.has("value_floats") { return ConstantTensor(dims: [floats.count], values: .floats(floats)) }
        if a.has("value_int") { return ConstantTensor(dims: [], values: .ints([Int64(a.int("value_int", default: 0))])) }
        if let ints = a.ints("value_ints"), a.has("value_ints") { return ConstantTensor(dims: [ints.count], values: .ints(ints.map(Int64.init))) }
        throw context.refuse("its value is given as \(a.names.joined(separator: ", ")); reslab reads value, value_float(s) and value_int(s)")
    }
}
