#!/usr/bin/env python3
"""Turns an integer ("fast") Tesseract LSTM model into a float one that lstmtraining accepts.

Every traineddata Debian ships is integer, and `lstmtraining --continue_from` refuses those
("is an integer (fast) model, cannot continue training"); the float originals are not in
any registry this project may use. An integer weight matrix keeps, per output row, int8
weights and one scale (the row's largest absolute float weight / 127), so
`weight = int8 * scale` gives back the float weights up to the rounding the integer model
itself runs with. Only the weights and the recognizer's TF_INT_MODE flag change; every other
byte is copied.

    training/int-to-float.py ara.lstm ara-float.lstm

The layout followed is Tesseract 5's serialization (network.cpp, plumbing.cpp, lstm.cpp,
fullyconnected.cpp, weightmatrix.cpp, lstmrecognizer.cpp), read, not copied.
"""

import struct
import sys

INT8_FLAG = 1
ADAM_FLAG = 4
DOUBLE_FLAG = 128
TF_INT_MODE = 1
NF_LAYER_SPECIFIC_LR = 64

TYPE_NAMES = [
    "Invalid", "Input", "Convolve", "Maxpool", "Parallel", "Replicated", "ParBidiLSTM",
    "DepParUDLSTM", "Par2dLSTM", "Series", "Reconfig", "RTLReversed", "TTBReversed",
    "XYTranspose", "LSTM", "SummLSTM", "Logistic", "LinLogistic", "LinTanh", "Tanh", "Relu",
    "Linear", "Softmax", "SoftmaxNoCTC", "LSTMSoftmax", "LSTMBinarySoftmax", "TensorFlow",
]
PLUMBING = {"Parallel", "Replicated", "ParBidiLSTM", "DepParUDLSTM", "Par2dLSTM", "Series",
            "RTLReversed", "TTBReversed", "XYTranspose"}
FULLY_CONNECTED = {"Logistic", "LinLogistic", "LinTanh", "Tanh", "Relu", "Linear", "Softmax",
                   "SoftmaxNoCTC"}
LSTM = {"LSTM", "SummLSTM", "LSTMSoftmax", "LSTMBinarySoftmax"}


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        chunk = self.data[self.pos:self.pos + n]
        if len(chunk) != n:
            raise ValueError(f"truncated model at byte {self.pos}")
        self.pos += n
        return chunk

    def unpack(self, fmt):
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def string(self):
        (length,) = self.unpack("I")
        return self.take(length)


def string_bytes(raw):
    return struct.pack("<I", len(raw)) + raw


def weight_matrix(r, out):
    """Copies one WeightMatrix, rewriting an integer one as doubles."""
    (mode,) = r.unpack("B")
    if not mode & DOUBLE_FLAG:
        raise ValueError("old-format weight matrix: not supported")
    if not mode & INT8_FLAG:
        raise ValueError("the model is already float")
    rows, cols = r.unpack("ii")
    r.take(1)  # the array's unused cell
    ints = r.unpack(f"{rows * cols}b")
    (count,) = r.unpack("I")
    # SIMD padding may store more scales than rows: only the first `rows` belong to rows.
    scales = r.unpack(f"{count}d")[:rows]
    floats = [ints[row * cols + col] * scales[row] for row in range(rows) for col in range(cols)]
    out.append(struct.pack("<B", (mode & ~INT8_FLAG) | DOUBLE_FLAG))
    out.append(struct.pack("<ii", rows, cols))
    out.append(struct.pack("<d", 0.0))
    out.append(struct.pack(f"<{len(floats)}d", *floats))
    return rows, cols


def network(r, out):
    """Copies one layer (and its sub-layers); returns how many weights it converted."""
    start = r.pos
    (marker,) = r.unpack("b")
    if marker != 0:
        raise ValueError("old-format layer type: not supported")
    type_name = r.string().decode()
    if type_name not in TYPE_NAMES:
        raise ValueError(f"unknown layer type {type_name}")
    training, backprop, flags, ni, no, num_weights = r.unpack("bbiiii")
    r.string()  # the layer's name
    out.append(r.data[start:r.pos])
    converted = 0
    if type_name == "Input":
        out.append(r.take(5 * 4))  # StaticShape: batch, height, width, depth, loss type
    elif type_name in ("Convolve", "Maxpool", "Reconfig"):
        out.append(r.take(2 * 4))  # half_x/half_y or x/y scale
    elif type_name in PLUMBING:
        (size,) = r.unpack("I")
        out.append(struct.pack("<I", size))
        for _ in range(size):
            converted += network(r, out)
        if flags & NF_LAYER_SPECIFIC_LR:
            (count,) = r.unpack("I")
            out.append(struct.pack("<I", count) + r.take(4 * count))
    elif type_name in FULLY_CONNECTED:
        rows, cols = weight_matrix(r, out)
        converted += rows * cols
    elif type_name in LSTM:
        (na,) = r.unpack("i")
        out.append(struct.pack("<i", na))
        # Gates CI, GI, GF1, GO, then GFS only for a 2-D LSTM (na = ni + 2 * ns [+ nf]).
        nf = {"LSTMSoftmax": no, "LSTMBinarySoftmax": (no - 1).bit_length()}.get(type_name, 0)
        ns, cols = weight_matrix(r, out)  # CI's rows: the LSTM's state size
        converted += ns * cols
        gates = 4 if na - nf != ni + 2 * ns else 5
        for _ in range(gates - 1):
            rows, cols = weight_matrix(r, out)
            converted += rows * cols
        if type_name in ("LSTMSoftmax", "LSTMBinarySoftmax"):
            converted += network(r, out)
    else:
        raise ValueError(f"layer type {type_name} not supported")
    return converted


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    r = Reader(open(sys.argv[1], "rb").read())
    out = []
    converted = network(r, out)
    # The recognizer's fields after the network (charsets live in their own components).
    out.append(string_bytes(r.string()))  # network spec
    (flags,) = r.unpack("i")
    if not flags & TF_INT_MODE:
        sys.exit("the model is not an integer model")
    out.append(struct.pack("<i", flags & ~TF_INT_MODE))
    out.append(r.data[r.pos:])  # iterations, null char, adam beta, learning rate, momentum
    open(sys.argv[2], "wb").write(b"".join(out))
    print(f"{converted} weights converted to float", file=sys.stderr)


if __name__ == "__main__":
    main()
