"""Nested ifs, elif chains and early returns."""


def classify_triangle(a, b, c):
    if a <= 0 or b <= 0 or c <= 0:
        return "invalid"
    if a + b <= c or a + c <= b or b + c <= a:
        return "invalid"
    if a == b and b == c:
        return "equilateral"
    if a == b or b == c or a == c:
        kind = "isosceles"
    else:
        kind = "scalene"
    sides = sorted([a, b, c])
    if sides[0] ** 2 + sides[1] ** 2 == sides[2] ** 2:
        kind = "right " + kind
    return kind


def letter_grade(score, curve=0):
    score = score + curve
    if score > 100:
        score = 100
    if score >= 90:
        grade = "A"
    elif score >= 80:
        grade = "B"
    elif score >= 70:
        grade = "C"
    elif score >= 60:
        grade = "D"
    else:
        grade = "F"
    if grade != "F" and score % 10 >= 7 and score < 100:
        grade += "+"
    return grade


def piecewise(x, knee=1.0, slope=2.0):
    if x < 0:
        if x < -knee:
            y = -slope * (x + knee) + knee * knee / 2
        else:
            y = x * x / 2
    else:
        if x > knee:
            y = slope * (x - knee) + knee * knee / 2
        elif x == 0:
            y = 0.0
        else:
            y = x * x / 2
    return y


def tax_owed(income, married=False, dependents=0):
    if income <= 0:
        return 0.0
    brackets = [(10000, 0.0), (40000, 0.1), (90000, 0.2)]
    if married:
        brackets = [(20000, 0.0), (80000, 0.1), (180000, 0.2)]
    top_rate = 0.35
    owed = 0.0
    lower = 0
    for upper, rate in brackets:
        if income > upper:
            owed += (upper - lower) * rate
            lower = upper
        else:
            owed += (income - lower) * rate
            lower = income
            break
    if income > lower:
        owed += (income - lower) * top_rate
    credit = 1000 * dependents
    if credit > owed:
        credit = owed
    return owed - credit


def fizzbuzz_counts(n):
    fizz = 0
    buzz = 0
    both = 0
    other = 0
    for i in range(1, n + 1):
        if i % 15 == 0:
            both += 1
        elif i % 3 == 0:
            fizz += 1
        elif i % 5 == 0:
            buzz += 1
        else:
            other += 1
    return fizz, buzz, both, other


CASES = {
    "classify_triangle": [(3, 4, 5), (2, 2, 2), (2, 2, 3), (1, 2, 3), (0, 1, 1), (4, 5, 6)],
    "letter_grade": [(95,), (87,), (77, 2), (61,), (12,), (99, 5)],
    "piecewise": [(-3.0,), (-0.5,), (0.0,), (0.5,), (4.0,)],
    "tax_owed": [(0,), (5000,), (50000,), (150000, True, 2), (250000, False, 1)],
    "fizzbuzz_counts": [(0,), (15,), (100,)],
}
