def main():
    print("Simple calculator. Type 'quit' to exit.")
    while True:
        expr = input(">>> ")
        if expr.strip().lower() == "quit":
            break
        try:
            print(eval(expr))
        except Exception as exc:
            print("Error:", exc)


if __name__ == "__main__":
    main()
