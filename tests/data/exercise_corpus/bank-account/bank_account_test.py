import unittest

from bank_account import BankAccount


class BankAccountTest(unittest.TestCase):
    def test_newly_opened_account_has_zero_balance(self):
        account = BankAccount()
        account.open()
        self.assertEqual(account.get_balance(), 0)

    def test_deposits_and_withdrawals(self):
        account = BankAccount()
        account.open()
        account.deposit(100)
        account.deposit(50)
        account.withdraw(30)
        self.assertEqual(account.get_balance(), 120)

    def test_cannot_withdraw_more_than_deposited(self):
        account = BankAccount()
        account.open()
        account.deposit(25)
        with self.assertRaises(ValueError) as err:
            account.withdraw(50)
        self.assertEqual(type(err.exception), ValueError)
        self.assertEqual(err.exception.args[0], "amount must be less than balance")

    def test_cannot_deposit_a_negative_amount(self):
        account = BankAccount()
        account.open()
        with self.assertRaises(ValueError) as err:
            account.deposit(-50)
        self.assertEqual(err.exception.args[0], "amount must be greater than 0")

    def test_closed_account_refuses_operations(self):
        account = BankAccount()
        account.open()
        account.close()
        with self.assertRaises(ValueError) as err:
            account.get_balance()
        self.assertEqual(err.exception.args[0], "account not open")

    def test_cannot_open_an_open_account(self):
        account = BankAccount()
        account.open()
        with self.assertRaisesRegex(ValueError, "already open"):
            account.open()

    def test_reopened_account_starts_empty(self):
        account = BankAccount()
        account.open()
        account.deposit(50)
        account.close()
        account.open()
        self.assertEqual(account.get_balance(), 0)


if __name__ == "__main__":
    unittest.main()
