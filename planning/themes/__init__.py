"""From difficulties to themes: what teachers find hard, what covers it, what to plan next."""
