class Stack:
    def push(self, item):
        pass

    def pop(self):
        pass

    def peek(self):
        pass

    def __len__(self):
        pass

    def __iter__(self):
        pass
