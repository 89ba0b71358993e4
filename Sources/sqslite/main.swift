print("sqslite")
