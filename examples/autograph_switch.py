"""autograph=True converts Python control flow; autograph=False traces the function as written."""

import numpy as np

import autograph


def huber(a, delta):
    if np.abs(a) <= delta:
        loss = a * a / 2
    else:
        loss = delta * (np.abs(a) - delta / 2)
    return loss


def main():
    converted = autograph.function(huber)
    print(converted(np.float64(0.5), np.float64(1.0)), converted(np.float64(3.0), np.float64(1.0)))
    unconverted = autograph.function(huber, autograph=False)
    try:
        unconverted(np.float64(0.5), np.float64(1.0))
    except TypeError as e:
        print("TypeError:", str(e).splitlines()[0])


if __name__ == "__main__":
    main()
