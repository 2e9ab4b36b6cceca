"""`python -m bench.flame bench/results/<run>-profile.txt [N]`: where the server's time went (py-spy raw).

Prints the N functions with the largest inclusive share of the samples, then the largest self shares.
"""

import collections
import sys


def frame_key(frame: str) -> str:
    name = frame.split(" (")[0]
    location = frame.rsplit("(", 1)[-1].rstrip(")")
    return f"{name} [{location.split(':')[0].split('/')[-1]}]"


def main(path: str, count: int = 40):
    inclusive, own = collections.Counter(), collections.Counter()
    total = 0
    with open(path) as lines:
        for line in lines:
            stack, _, samples = line.rstrip().rpartition(" ")
            if not samples.isdigit():
                continue
            samples = int(samples)
            total += samples
            frames = [frame_key(f) for f in stack.split(";")]
            for key in set(frames):
                inclusive[key] += samples
            own[frames[-1]] += samples
    print(f"{total} samples")
    for key, samples in inclusive.most_common(count):
        print(f"{100 * samples / total:5.1f}%  {key}")
    print("-- self")
    for key, samples in own.most_common(count // 2):
        print(f"{100 * samples / total:5.1f}%  {key}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
