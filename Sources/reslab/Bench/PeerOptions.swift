import ArgumentParser

/// The options every `reslab bench` command shares for its peer (numpy, Pillow, ONNX Runtime, JAX).
struct PeerOptions: ParsableArguments {
    @Option(name: .long, help: "Python for the peer (default: $RESLAB_PEER_PYTHON, else the checkout's .venv-peers, else python3 on PATH).")
    var python: String?

    @Flag(name: .long, help: "Skip the peer.")
    var noPeer = false
}
