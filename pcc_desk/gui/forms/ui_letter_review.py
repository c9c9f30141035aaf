# Generated from ui/letter_review.ui by pcc_desk.gui.forms.build; do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QDateEdit,
    QDialog, QDialogButtonBox, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QSplitter, QTextBrowser,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

class Ui_LetterReview(object):
    def setupUi(self, LetterReview):
        if not LetterReview.objectName():
            LetterReview.setObjectName(u"LetterReview")
        LetterReview.resize(1200, 720)
        self.verticalLayout = QVBoxLayout(LetterReview)
        self.verticalLayout.setObjectName(u"verticalLayout")
        self.summaryLabel = QLabel(LetterReview)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)

        self.verticalLayout.addWidget(self.summaryLabel)

        self.headBox = QGroupBox(LetterReview)
        self.headBox.setObjectName(u"headBox")
        self.headLayout = QGridLayout(self.headBox)
        self.headLayout.setObjectName(u"headLayout")
        self.dateLabel = QLabel(self.headBox)
        self.dateLabel.setObjectName(u"dateLabel")

        self.headLayout.addWidget(self.dateLabel, 0, 0, 1, 1)

        self.dateEdit = QDateEdit(self.headBox)
        self.dateEdit.setObjectName(u"dateEdit")
        self.dateEdit.setCalendarPopup(True)

        self.headLayout.addWidget(self.dateEdit, 0, 1, 1, 1)

        self.subjectLabel = QLabel(self.headBox)
        self.subjectLabel.setObjectName(u"subjectLabel")

        self.headLayout.addWidget(self.subjectLabel, 0, 2, 1, 1)

        self.subjectEdit = QLineEdit(self.headBox)
        self.subjectEdit.setObjectName(u"subjectEdit")

        self.headLayout.addWidget(self.subjectEdit, 0, 3, 1, 3)

        self.senderLabel = QLabel(self.headBox)
        self.senderLabel.setObjectName(u"senderLabel")

        self.headLayout.addWidget(self.senderLabel, 1, 0, 1, 1)

        self.senderEdit = QLineEdit(self.headBox)
        self.senderEdit.setObjectName(u"senderEdit")

        self.headLayout.addWidget(self.senderEdit, 1, 1, 1, 1)

        self.senderRoleLabel = QLabel(self.headBox)
        self.senderRoleLabel.setObjectName(u"senderRoleLabel")

        self.headLayout.addWidget(self.senderRoleLabel, 1, 2, 1, 1)

        self.senderRoleEdit = QLineEdit(self.headBox)
        self.senderRoleEdit.setObjectName(u"senderRoleEdit")

        self.headLayout.addWidget(self.senderRoleEdit, 1, 3, 1, 1)

        self.ccLabel = QLabel(self.headBox)
        self.ccLabel.setObjectName(u"ccLabel")

        self.headLayout.addWidget(self.ccLabel, 1, 4, 1, 1)

        self.ccEdit = QLineEdit(self.headBox)
        self.ccEdit.setObjectName(u"ccEdit")

        self.headLayout.addWidget(self.ccEdit, 1, 5, 1, 1)

        self.recipientLabel = QLabel(self.headBox)
        self.recipientLabel.setObjectName(u"recipientLabel")

        self.headLayout.addWidget(self.recipientLabel, 2, 0, 1, 1)

        self.recipientEdit = QLineEdit(self.headBox)
        self.recipientEdit.setObjectName(u"recipientEdit")

        self.headLayout.addWidget(self.recipientEdit, 2, 1, 1, 1)

        self.recipientRoleLabel = QLabel(self.headBox)
        self.recipientRoleLabel.setObjectName(u"recipientRoleLabel")

        self.headLayout.addWidget(self.recipientRoleLabel, 2, 2, 1, 1)

        self.recipientRoleEdit = QLineEdit(self.headBox)
        self.recipientRoleEdit.setObjectName(u"recipientRoleEdit")

        self.headLayout.addWidget(self.recipientRoleEdit, 2, 3, 1, 1)

        self.themesLabel = QLabel(self.headBox)
        self.themesLabel.setObjectName(u"themesLabel")

        self.headLayout.addWidget(self.themesLabel, 2, 4, 1, 1)

        self.themesValue = QLabel(self.headBox)
        self.themesValue.setObjectName(u"themesValue")
        self.themesValue.setWordWrap(True)

        self.headLayout.addWidget(self.themesValue, 2, 5, 1, 1)

        self.salutationLabel = QLabel(self.headBox)
        self.salutationLabel.setObjectName(u"salutationLabel")

        self.headLayout.addWidget(self.salutationLabel, 3, 0, 1, 1)

        self.salutationEdit = QLineEdit(self.headBox)
        self.salutationEdit.setObjectName(u"salutationEdit")

        self.headLayout.addWidget(self.salutationEdit, 3, 1, 1, 1)


        self.verticalLayout.addWidget(self.headBox)

        self.splitter = QSplitter(LetterReview)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.asksPane = QWidget(self.splitter)
        self.asksPane.setObjectName(u"asksPane")
        self.asksLayout = QVBoxLayout(self.asksPane)
        self.asksLayout.setObjectName(u"asksLayout")
        self.asksLayout.setContentsMargins(0, 0, 0, 0)
        self.asksLabel = QLabel(self.asksPane)
        self.asksLabel.setObjectName(u"asksLabel")

        self.asksLayout.addWidget(self.asksLabel)

        self.asksTree = QTreeWidget(self.asksPane)
        self.asksTree.setObjectName(u"asksTree")
        self.asksTree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.asksTree.setAlternatingRowColors(True)
        self.asksTree.setWordWrap(True)
        self.asksTree.setUniformRowHeights(False)

        self.asksLayout.addWidget(self.asksTree)

        self.askButtons = QHBoxLayout()
        self.askButtons.setObjectName(u"askButtons")
        self.mergeButton = QPushButton(self.asksPane)
        self.mergeButton.setObjectName(u"mergeButton")

        self.askButtons.addWidget(self.mergeButton)

        self.splitButton = QPushButton(self.asksPane)
        self.splitButton.setObjectName(u"splitButton")

        self.askButtons.addWidget(self.splitButton)

        self.dropButton = QPushButton(self.asksPane)
        self.dropButton.setObjectName(u"dropButton")

        self.askButtons.addWidget(self.dropButton)

        self.undoButton = QPushButton(self.asksPane)
        self.undoButton.setObjectName(u"undoButton")

        self.askButtons.addWidget(self.undoButton)

        self.askButtonsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.askButtons.addItem(self.askButtonsSpacer)


        self.asksLayout.addLayout(self.askButtons)

        self.suggestedLabel = QLabel(self.asksPane)
        self.suggestedLabel.setObjectName(u"suggestedLabel")
        self.suggestedLabel.setWordWrap(True)

        self.asksLayout.addWidget(self.suggestedLabel)

        self.suggestedList = QListWidget(self.asksPane)
        self.suggestedList.setObjectName(u"suggestedList")
        self.suggestedList.setWordWrap(True)
        self.suggestedList.setMaximumSize(QSize(16777215, 150))

        self.asksLayout.addWidget(self.suggestedList)

        self.suggestionButtons = QHBoxLayout()
        self.suggestionButtons.setObjectName(u"suggestionButtons")
        self.acceptButton = QPushButton(self.asksPane)
        self.acceptButton.setObjectName(u"acceptButton")

        self.suggestionButtons.addWidget(self.acceptButton)

        self.suggestionSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.suggestionButtons.addItem(self.suggestionSpacer)


        self.asksLayout.addLayout(self.suggestionButtons)

        self.splitter.addWidget(self.asksPane)
        self.askPane = QWidget(self.splitter)
        self.askPane.setObjectName(u"askPane")
        self.askLayout = QVBoxLayout(self.askPane)
        self.askLayout.setObjectName(u"askLayout")
        self.askLayout.setContentsMargins(0, 0, 0, 0)
        self.askTextLabel = QLabel(self.askPane)
        self.askTextLabel.setObjectName(u"askTextLabel")

        self.askLayout.addWidget(self.askTextLabel)

        self.askEdit = QPlainTextEdit(self.askPane)
        self.askEdit.setObjectName(u"askEdit")
        self.askEdit.setTabChangesFocus(True)

        self.askLayout.addWidget(self.askEdit)

        self.contextLabel = QLabel(self.askPane)
        self.contextLabel.setObjectName(u"contextLabel")

        self.askLayout.addWidget(self.contextLabel)

        self.contextView = QTextBrowser(self.askPane)
        self.contextView.setObjectName(u"contextView")
        self.contextView.setOpenLinks(False)

        self.askLayout.addWidget(self.contextView)

        self.splitter.addWidget(self.askPane)

        self.verticalLayout.addWidget(self.splitter)

        self.warningsLabel = QLabel(LetterReview)
        self.warningsLabel.setObjectName(u"warningsLabel")
        self.warningsLabel.setWordWrap(True)

        self.verticalLayout.addWidget(self.warningsLabel)

        self.buttonBox = QDialogButtonBox(LetterReview)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.verticalLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.dateLabel.setBuddy(self.dateEdit)
        self.subjectLabel.setBuddy(self.subjectEdit)
        self.senderLabel.setBuddy(self.senderEdit)
        self.senderRoleLabel.setBuddy(self.senderRoleEdit)
        self.ccLabel.setBuddy(self.ccEdit)
        self.recipientLabel.setBuddy(self.recipientEdit)
        self.recipientRoleLabel.setBuddy(self.recipientRoleEdit)
        self.salutationLabel.setBuddy(self.salutationEdit)
        self.askTextLabel.setBuddy(self.askEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.dateEdit, self.subjectEdit)
        QWidget.setTabOrder(self.subjectEdit, self.senderEdit)
        QWidget.setTabOrder(self.senderEdit, self.senderRoleEdit)
        QWidget.setTabOrder(self.senderRoleEdit, self.ccEdit)
        QWidget.setTabOrder(self.ccEdit, self.recipientEdit)
        QWidget.setTabOrder(self.recipientEdit, self.recipientRoleEdit)
        QWidget.setTabOrder(self.recipientRoleEdit, self.salutationEdit)
        QWidget.setTabOrder(self.salutationEdit, self.asksTree)
        QWidget.setTabOrder(self.asksTree, self.askEdit)
        QWidget.setTabOrder(self.askEdit, self.mergeButton)
        QWidget.setTabOrder(self.mergeButton, self.splitButton)
        QWidget.setTabOrder(self.splitButton, self.dropButton)
        QWidget.setTabOrder(self.dropButton, self.undoButton)
        QWidget.setTabOrder(self.undoButton, self.suggestedList)
        QWidget.setTabOrder(self.suggestedList, self.acceptButton)
        QWidget.setTabOrder(self.acceptButton, self.contextView)
        QWidget.setTabOrder(self.contextView, self.buttonBox)

        self.retranslateUi(LetterReview)
    # setupUi

    def retranslateUi(self, LetterReview):
        LetterReview.setWindowTitle(QCoreApplication.translate("LetterReview", u"Review the letter before importing", None))
        self.summaryLabel.setText(QCoreApplication.translate("LetterReview", u"Letter", None))
        self.headBox.setTitle(QCoreApplication.translate("LetterReview", u"Letter head", None))
        self.dateLabel.setText(QCoreApplication.translate("LetterReview", u"&Date:", None))
#if QT_CONFIG(accessibility)
        self.dateEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Date of the letter", None))
#endif // QT_CONFIG(accessibility)
        self.dateEdit.setDisplayFormat(QCoreApplication.translate("LetterReview", u"d MMMM yyyy", None))
        self.subjectLabel.setText(QCoreApplication.translate("LetterReview", u"S&ubject:", None))
#if QT_CONFIG(accessibility)
        self.subjectEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Subject of the letter", None))
#endif // QT_CONFIG(accessibility)
        self.senderLabel.setText(QCoreApplication.translate("LetterReview", u"&From:", None))
#if QT_CONFIG(accessibility)
        self.senderEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Sender", None))
#endif // QT_CONFIG(accessibility)
        self.senderRoleLabel.setText(QCoreApplication.translate("LetterReview", u"R&ole:", None))
#if QT_CONFIG(accessibility)
        self.senderRoleEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Sender's role", None))
#endif // QT_CONFIG(accessibility)
        self.ccLabel.setText(QCoreApplication.translate("LetterReview", u"&CC:", None))
#if QT_CONFIG(accessibility)
        self.ccEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Copied to (separated by semicolons)", None))
#endif // QT_CONFIG(accessibility)
        self.ccEdit.setPlaceholderText(QCoreApplication.translate("LetterReview", u"names, separated by ;", None))
        self.recipientLabel.setText(QCoreApplication.translate("LetterReview", u"&To:", None))
#if QT_CONFIG(accessibility)
        self.recipientEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Recipient", None))
#endif // QT_CONFIG(accessibility)
        self.recipientRoleLabel.setText(QCoreApplication.translate("LetterReview", u"Ro&le:", None))
#if QT_CONFIG(accessibility)
        self.recipientRoleEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Recipient's role", None))
#endif // QT_CONFIG(accessibility)
        self.themesLabel.setText(QCoreApplication.translate("LetterReview", u"Themes:", None))
#if QT_CONFIG(accessibility)
        self.themesValue.setAccessibleName(QCoreApplication.translate("LetterReview", u"Themes of the letter", None))
#endif // QT_CONFIG(accessibility)
        self.salutationLabel.setText(QCoreApplication.translate("LetterReview", u"Sal&utation:", None))
#if QT_CONFIG(accessibility)
        self.salutationEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Salutation", None))
#endif // QT_CONFIG(accessibility)
        self.asksLabel.setText(QCoreApplication.translate("LetterReview", u"<b>Asks</b> by theme, with the reference each will get", None))
        ___qtreewidgetitem = self.asksTree.headerItem()
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("LetterReview", u"Ask", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("LetterReview", u"Reference", None))
#if QT_CONFIG(accessibility)
        self.asksTree.setAccessibleName(QCoreApplication.translate("LetterReview", u"Asks grouped by theme", None))
#endif // QT_CONFIG(accessibility)
        self.mergeButton.setText(QCoreApplication.translate("LetterReview", u"&Merge", None))
#if QT_CONFIG(tooltip)
        self.mergeButton.setToolTip(QCoreApplication.translate("LetterReview", u"Join the two selected asks into one", None))
#endif // QT_CONFIG(tooltip)
        self.splitButton.setText(QCoreApplication.translate("LetterReview", u"S&plit at cursor", None))
#if QT_CONFIG(tooltip)
        self.splitButton.setToolTip(QCoreApplication.translate("LetterReview", u"Cut the ask in two where the cursor is in its text", None))
#endif // QT_CONFIG(tooltip)
        self.dropButton.setText(QCoreApplication.translate("LetterReview", u"D&rop", None))
#if QT_CONFIG(tooltip)
        self.dropButton.setToolTip(QCoreApplication.translate("LetterReview", u"Leave the selected asks out of the import (Delete)", None))
#endif // QT_CONFIG(tooltip)
        self.undoButton.setText(QCoreApplication.translate("LetterReview", u"U&ndo edit", None))
        self.suggestedLabel.setText(QCoreApplication.translate("LetterReview", u"<b>Suggested asks</b> (read like asks but not in bold; tick to import them)", None))
#if QT_CONFIG(accessibility)
        self.suggestedList.setAccessibleName(QCoreApplication.translate("LetterReview", u"Suggested asks", None))
#endif // QT_CONFIG(accessibility)
        self.acceptButton.setText(QCoreApplication.translate("LetterReview", u"&Accept ticked suggestions", None))
#if QT_CONFIG(tooltip)
        self.acceptButton.setToolTip(QCoreApplication.translate("LetterReview", u"Move the ticked suggestions into the asks, where they can be edited", None))
#endif // QT_CONFIG(tooltip)
        self.askTextLabel.setText(QCoreApplication.translate("LetterReview", u"&Text of the ask (edit freely; Split cuts it at the cursor):", None))
#if QT_CONFIG(accessibility)
        self.askEdit.setAccessibleName(QCoreApplication.translate("LetterReview", u"Text of the selected ask", None))
#endif // QT_CONFIG(accessibility)
        self.contextLabel.setText(QCoreApplication.translate("LetterReview", u"Its paragraph and footnotes:", None))
#if QT_CONFIG(accessibility)
        self.contextView.setAccessibleName(QCoreApplication.translate("LetterReview", u"Paragraph and footnotes of the selected ask", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.warningsLabel.setAccessibleName(QCoreApplication.translate("LetterReview", u"Notes about the reading", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

