import pytest

from stack import Stack


def test_push_and_pop_in_reverse_order():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    assert stack.pop() == 2
    assert stack.pop() == 1


def test_len_and_peek():
    stack = Stack()
    assert len(stack) == 0
    stack.push("a")
    assert stack.peek() == "a"
    assert len(stack) == 1


def test_iterates_from_the_top():
    stack = Stack()
    for item in "abc":
        stack.push(item)
    assert list(stack) == ["c", "b", "a"]


def test_pop_from_empty_raises():
    with pytest.raises(IndexError, match="empty stack"):
        Stack().pop()
